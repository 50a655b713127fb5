"""What staff see of a community's civic course work: only what reaches them through their own programme.

A community's members see all of it. Staff see a community through their own
organisation's enrolment only (README, "How isolation works"), and of the civic
course only while that enrolment is in a civic course stage: each meeting and map
names the programme it was made in, and shows to the staff of that programme; a
change map in draft only to its mentors and facilitators, an adopted one (by a
decision the community shared with the programme) to all of them.
The members' dots in a priority vote are their own (`MembersOnly`): staff never read them.
"""

from __future__ import annotations

from sqlalchemy import true

from hromada.plugin_api import StaffRole, programme_in_stage, programmes_in_view, reaches_in_stage

STAGE_TYPE = "civic_course"
# Deck 002: the community manager (facilitator) and the mentor help build the maps; they read drafts.
DRAFT_READERS = {StaffRole.MENTOR, StaffRole.FACILITATOR}


def civic_programme(community_id: int) -> int | None:
    """The programme in which the community is in a civic course stage: what it makes is made there."""
    return programme_in_stage(community_id, STAGE_TYPE)


def staff_programmes(community_id: int) -> list[int] | None:
    """The civic course programmes through which the person sees the community; None for its members (all)."""
    return programmes_in_view(community_id, STAGE_TYPE)


def visible(model, programmes):
    """A filter on `model` (with `programme_id`): everything for members, the programmes' rows for staff."""
    if programmes is None:
        return true()
    return model.programme_id.in_(programmes)


def reads_drafts(community_id: int) -> bool:
    """Members, and the mentors and facilitators of an organisation whose civic course stage the community is in."""
    return reaches_in_stage(community_id, STAGE_TYPE, DRAFT_READERS)
