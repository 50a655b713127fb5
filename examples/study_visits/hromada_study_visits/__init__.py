"""Study visits: a community travels to another one to learn from it.

An example of a third-party Hromada plugin; see examples/study_visits/README.md.
"""
