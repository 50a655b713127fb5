"""One-time reset links: an operator (for their staff) or a coordinator (for their members) issues one for a
person who lost their password or second factor, and passes it on by hand."""
