"""What a person reads of the strategic sessions: members all of them; staff those of maps they read.

Each function is one query, whatever the number of sessions or outcomes.
"""

from __future__ import annotations

from sqlalchemy import func, select

from hromada.plugin_api import Action, Milestone, db, utc_today
from hromada_civic_course.maps.models import ChangeMap
from hromada_civic_course.maps.versions import maps_clause
from hromada_civic_course.meetings.models import Problem
from hromada_civic_course.sessions.models import SessionOutcome, StrategicSession
from hromada_civic_course.visibility import staff_programmes, visible


def sessions_clause(community_id: int):
    return visible(StrategicSession, staff_programmes(community_id))


def sessions_of(community_id: int):
    """[(session, the map's problem, outcomes agreed)], the latest first."""
    outcomes = (select(SessionOutcome.session_id, func.count(SessionOutcome.id).label("count"))
                .group_by(SessionOutcome.session_id).subquery())
    return db.session.execute(
        select(StrategicSession, Problem.title, func.coalesce(outcomes.c.count, 0))
        .join(ChangeMap, ChangeMap.id == StrategicSession.map_id)
        .join(Problem, Problem.id == ChangeMap.problem_id)
        .outerjoin(outcomes, outcomes.c.session_id == StrategicSession.id)
        .where(StrategicSession.tenant_id == community_id, sessions_clause(community_id), maps_clause(community_id))
        .order_by(StrategicSession.held_on.desc(), StrategicSession.id.desc())).all()


def held(sessions) -> list:
    """The sessions of `sessions_of` that took place (today or before), not the ones still planned."""
    today = utc_today()
    return [row for row in sessions if row[0].held_on <= today]


def outcomes_of(session_id: int):
    """[(outcome, milestone title, action title, action status)] in the order they were agreed."""
    return db.session.execute(
        select(SessionOutcome, Milestone.title, Action.title, Action.status)
        .outerjoin(Milestone, Milestone.id == SessionOutcome.milestone_id)
        .outerjoin(Action, Action.id == SessionOutcome.action_id)
        .where(SessionOutcome.session_id == session_id)
        .order_by(SessionOutcome.id)).all()
