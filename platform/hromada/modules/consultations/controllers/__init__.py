"""Consultation pages, by whom they are for.

`community`: a community's consultations, notes and follow-ups (its people, and the
staff who support it); `staff`: a staff member's own lists across the communities
they reach; `programme`: an organisation's topics and figures for one programme.
The changes the pages make are in `hromada.modules.consultations.operations`.
"""
