"""Internships abroad: host organisations, placements, applications, logbooks and evaluations."""
