"""People, sign-in, sessions and invitations. Pseudonyms are welcome: no real name is ever asked."""
