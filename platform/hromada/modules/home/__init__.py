"""The public home page and the language switch."""
