"""The charter: values -> principles -> rules, and the rule "how we decide" (decks 002 and 004)."""
