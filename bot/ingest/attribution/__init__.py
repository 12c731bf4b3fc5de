"""Who said what: turning record text into attributed statements."""
