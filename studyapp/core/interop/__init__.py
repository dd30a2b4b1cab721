"""Other formats in and out: Anki packages, Anki-style text, CSV, review-log CSV."""
