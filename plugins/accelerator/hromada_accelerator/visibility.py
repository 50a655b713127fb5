"""What staff see of a community's accelerator work: only what reaches them through their own programme.

A community's members see all of it. Staff see a community through their own
organisation's enrolment only (README, "How isolation works"): an artefact adopted
by a decision shows to them when the community shared that decision with one of
those programmes, and a draft only to its mentors and facilitators while the
community is in that programme's accelerator stage.
"""

from __future__ import annotations

from sqlalchemy import select

from hromada.plugin_api import Proposal, StaffRole, programme_in_stage, programmes_in_view, reaches_in_stage

STAGE_TYPE = "accelerator"
DRAFT_READERS = {StaffRole.MENTOR, StaffRole.FACILITATOR}


def staff_programmes(community_id: int) -> list[int] | None:
    """The programmes through which the person sees the community; None for its members (all of it).

    Any stage: what the community adopted in the accelerator stays readable after it moves on.
    """
    return programmes_in_view(community_id)


def reads_drafts(community_id: int) -> bool:
    """Members, and the mentors and facilitators of an organisation whose accelerator stage the community is in."""
    return reaches_in_stage(community_id, STAGE_TYPE, DRAFT_READERS)


def accelerator_programme(community_id: int) -> int | None:
    """The programme in which the community is in an accelerator stage: its staff read what is adopted."""
    return programme_in_stage(community_id, STAGE_TYPE)


def adopted_by_decision(model, subject: str, programmes):
    """A filter on `model` (a versioned artefact with `adopted_at`): adopted, and for staff (`programmes`
    not None) adopted by a decision the community shared with one of their programmes."""
    clause = model.adopted_at.is_not(None)
    if programmes is not None:
        shared = select(Proposal.subject_id).where(Proposal.subject_type == subject, Proposal.passed.is_(True),
                                                   Proposal.programme_id.in_(programmes))
        clause &= model.id.in_(shared)
    return clause
