"""Pure language helpers: words, lemmas, names and the closed word lists they use."""
