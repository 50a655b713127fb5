"""The incubator stage: creating and preserving communities."""
