"""In-app notifications: reminders and digests, shown to their recipient in their own language."""
