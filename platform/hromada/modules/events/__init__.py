"""Networking events: registration, attendance, the follow-up checklist and attendance KPIs."""
