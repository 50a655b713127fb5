"""Courses: modules, lessons (Markdown, sanitised), sessions, attendance and completion; plugins offer catalogues."""
