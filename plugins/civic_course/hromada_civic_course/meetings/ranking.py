"""The priority vote: problems ranked by the members' dots, and a member's dots, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import func, select

from hromada.plugin_api import db
from hromada_civic_course.meetings.models import DOTS_PER_MEMBER, Problem, ProblemDots


class TooManyDots(ValueError):
    """A member would spread more dots than they have."""


def totals(problem_ids) -> dict[int, int]:
    """{problem id: dots}; empty for staff, who never read the members' dots."""
    problem_ids = list(problem_ids)
    if not problem_ids:
        return {}
    return dict(db.session.execute(select(ProblemDots.problem_id, func.sum(ProblemDots.dots))
                                   .where(ProblemDots.problem_id.in_(problem_ids))
                                   .group_by(ProblemDots.problem_id)).all())


def ranked(problems, counts: dict[int, int]) -> list:
    """The problems, most dots first; ties in the order they were found."""
    return sorted(problems, key=lambda problem: (-counts.get(problem.id, 0), problem.id))


def dots_of(user_id: int, meeting_id: int) -> dict[int, int]:
    """{problem id: dots} the member put on the meeting's problems."""
    return dict(db.session.execute(
        select(ProblemDots.problem_id, ProblemDots.dots).join(Problem, Problem.id == ProblemDots.problem_id)
        .where(ProblemDots.user_id == user_id, Problem.meeting_id == meeting_id)).all())


def place_dots(community_id: int, user_id: int, problem: Problem, dots: int) -> None:
    """Set the member's dots on a problem (0 takes them back); refused beyond their dots for the meeting.

    The member's row of each problem is locked (on PostgreSQL) while the total is read, so that two
    submissions at once cannot both spend the last dot.
    """
    mine = list(db.session.scalars(
        select(ProblemDots).join(Problem, Problem.id == ProblemDots.problem_id)
        .where(ProblemDots.user_id == user_id, Problem.meeting_id == problem.meeting_id)
        .with_for_update(of=ProblemDots)))
    row = next((found for found in mine if found.problem_id == problem.id), None)
    elsewhere = sum(found.dots for found in mine if found.problem_id != problem.id)
    if elsewhere + dots > DOTS_PER_MEMBER:
        raise TooManyDots(DOTS_PER_MEMBER - elsewhere)
    if dots == 0:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(ProblemDots(tenant_id=community_id, problem_id=problem.id, user_id=user_id, dots=dots))
    else:
        row.dots = dots
