"""Courses: modules, lessons (Markdown, sanitised), sessions, attendance and completion; plugins offer catalogues.

The completion rule (per member and per community) is written out in `completion.py`;
the pages are in `controllers.py`; what other modules see of courses (the stage
requirement, the cohort column, the progress section, reminders) is in `plugin.py`.
"""
