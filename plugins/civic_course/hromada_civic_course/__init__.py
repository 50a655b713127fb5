"""The civic course stage: lectures, change maps and civic action."""
