"""A question to a cited answer: read the question, retrieve and rank passages, compose."""
