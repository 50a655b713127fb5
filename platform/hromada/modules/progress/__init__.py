"""Communities moving through stages: requirements, transitions, progress pages, the cohort overview, staff assignment."""
