"""Decisions a community takes together: proposals, positions, and outcomes on frozen texts."""
