"""Consultations with mentors and experts: requests, scheduling, logs, private notes, follow-ups and ratings."""
