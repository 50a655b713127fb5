"""Test helpers of the civic course: a meeting with a problem, a change map with a stakeholder, a strategic
session on it; the matrix's ids."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app

from hromada.plugin_api import ActionPlan, add_action, add_milestone, db, system_scope, tenancy_scope
from hromada.plugin_api import Programme, utc_today
from hromada_civic_course.demo import adopt
from hromada_civic_course.maps import versions
from hromada_civic_course.maps.models import ChangeMap, MapComment, Stakeholder
from hromada_civic_course.maps.plan import plan_for
from hromada_civic_course.meetings.models import Problem, ProblemDots, ProblemMeeting
from hromada_civic_course.sessions.models import SessionOutcome, StrategicSession


def make_map(community_id: int, programme_id: int | None, *, marker: str = "", voter_id: int | None = None,
             adopted: bool = False) -> dict:
    """A town meeting that found a problem, a map from it with one stakeholder and its plan, frozen as a
    version (adopted, if asked, by a decision shared with the programme); committed."""
    with system_scope(), tenancy_scope(tenant_id=community_id):
        meeting = ProblemMeeting(tenant_id=community_id, programme_id=programme_id, held_on=date(2027, 4, 2),
                                 level="town", participants=14, facilitator=f"Facilitator {marker}".strip())
        db.session.add(meeting)
        db.session.flush()
        problem = Problem(tenant_id=community_id, meeting_id=meeting.id, title=f"Unlit underpass {marker}".strip(),
                          what_is_wrong="Nobody walks there after dark", who_is_affected="Night-shift workers",
                          evidence="Twelve complaints")
        db.session.add(problem)
        db.session.flush()
        if voter_id is not None:
            db.session.add(ProblemDots(tenant_id=community_id, problem_id=problem.id, user_id=voter_id, dots=2))
        change_map = ChangeMap(tenant_id=community_id, problem_id=problem.id, programme_id=programme_id,
                               goal=f"The underpass is lit {marker}".strip(), levels=["local"], tools=["petition"],
                               assumptions="The council has money for lamps")
        db.session.add(change_map)
        db.session.flush()
        stakeholder = Stakeholder(tenant_id=community_id, map_id=change_map.id, name=f"District council {marker}",
                                  kind="decision_maker", influence=5, interest=2)
        db.session.add(stakeholder)
        db.session.flush()
        if programme_id is not None:
            organisation_id = db.session.get(Programme, programme_id).organisation_id
            db.session.add(MapComment(tenant_id=community_id, organisation_id=organisation_id, map_id=change_map.id,
                                      body=f"Who pays for the lamps? {marker}".strip()))
        with current_app.test_request_context():  # the plan's title and the version's text are in a language
            plan_for(change_map)
            version = versions.freeze_map(change_map, None)
        if adopted:
            adopt(version, programme_id)
        db.session.commit()
        return {"meeting_id": meeting.id, "problem_id": problem.id, "map_id": change_map.id,
                "stakeholder_id": stakeholder.id, "plan_id": change_map.plan_id, "version_id": version.id}


def make_session(community_id: int, programme_id: int | None, map_id: int, *, marker: str = "") -> dict:
    """A strategic session held a week ago on the map, which agreed one action of a new milestone of its plan; committed."""
    with system_scope(), tenancy_scope(tenant_id=community_id):
        change_map = db.session.get(ChangeMap, map_id)
        session = StrategicSession(tenant_id=community_id, programme_id=programme_id, map_id=map_id,
                                   held_on=utc_today() - timedelta(days=7), facilitator=f"Facilitator {marker}".strip(),
                                   participants=9, summary=f"We planned the lamps {marker}".strip())
        db.session.add(session)
        milestone = add_milestone(db.session.get(ActionPlan, change_map.plan_id), title=f"Lamps {marker}".strip())
        action = add_action(milestone, title=f"Ask the council {marker}".strip())
        db.session.flush()
        outcome = SessionOutcome(tenant_id=community_id, session_id=session.id, milestone_id=milestone.id,
                                 action_id=action.id, text=f"We ask the council first {marker}".strip())
        db.session.add(outcome)
        db.session.commit()
        return {"session_id": session.id, "milestone_id": milestone.id, "action_id": action.id,
                "outcome_id": outcome.id}


def matrix_arguments(world) -> dict:
    ids = ("meeting_id", "problem_id", "map_id", "stakeholder_id", "version_id", "session_id", "outcome_id")
    foreign = make_map(world.b.communities[0].id, world.b.programme.id, marker="secret-b1",
                       voter_id=world.b.people["member"].id, adopted=True)
    foreign.update(make_session(world.b.communities[0].id, world.b.programme.id, foreign["map_id"],
                                marker="secret-b1"))
    # B's adopted map is shared, under B1's name, with B's cohort: nothing of it may reach side A.
    share_map(world.b.communities[0].id, foreign["map_id"])
    # B's draft map and a meeting no map starts from: what their pages offer (comments, deleting) is exercised too.
    draft = make_map(world.b.communities[0].id, world.b.programme.id, marker="secret-b1 draft")
    foreign["map_id"] = draft["map_id"]
    with system_scope(), tenancy_scope(tenant_id=world.b.communities[0].id):
        meeting = ProblemMeeting(tenant_id=world.b.communities[0].id, programme_id=world.b.programme.id,
                                 held_on=date(2027, 5, 2), level="region", participants=6, facilitator="secret-b1")
        db.session.add(meeting)
        db.session.flush()
        problem = Problem(tenant_id=world.b.communities[0].id, meeting_id=meeting.id, title="Broken benches secret-b1")
        db.session.add(problem)
        db.session.commit()
        foreign.update(meeting_id=meeting.id, problem_id=problem.id)
    unreachable = make_map(world.a.communities[1].id, world.a.programme.id, marker="secret-a2", adopted=True)
    unreachable.update(make_session(world.a.communities[1].id, world.a.programme.id, unreachable["map_id"],
                                    marker="secret-a2"))
    from hromada_civic_course.internships.testing import matrix_arguments as internships

    found = internships(world)
    return {"foreign": {**{key: foreign[key] for key in ids}, **found["foreign"]},
            "unreachable": {**{key: unreachable[key] for key in ids}, **found["unreachable"]}}


def into_the_civic_course(programme_id: int, community_id: int | None = None, settings: dict | None = None) -> None:
    """The programme gains a civic course stage (once, with `settings`), and the community, if given, moves into
    it; committed."""
    from sqlalchemy import select

    from hromada.plugin_api import Enrolment, Stage

    with system_scope():
        stage = db.session.scalars(select(Stage).where(Stage.programme_id == programme_id,
                                                       Stage.stage_type == "civic_course")).first()
        if stage is None:
            position = db.session.scalars(select(Stage.position).where(Stage.programme_id == programme_id)
                                          .order_by(Stage.position.desc())).first()
            stage = Stage(programme_id=programme_id, position=(position or 0) + 1, stage_type="civic_course",
                          settings=settings or {})
            db.session.add(stage)
            db.session.flush()
        if community_id is not None:
            db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == community_id,
                                                       Enrolment.programme_id == programme_id)).one() \
                .current_stage_id = stage.id
        db.session.commit()


def with_actions(community_id: int, map_id: int, *, marker: str = "", done: int = 1, open_: int = 1,
                 overdue: int = 0) -> int:
    """A milestone in the map's plan with `done` actions done, `open_` planned (of which `overdue` past their
    date); committed. Returns the milestone's id."""
    from hromada.plugin_api import ActionStatus

    with system_scope(), tenancy_scope(tenant_id=community_id):
        change_map = db.session.get(ChangeMap, map_id)
        milestone = add_milestone(db.session.get(ActionPlan, change_map.plan_id), title=f"Lamps {marker}".strip())
        for number in range(done):
            add_action(milestone, title=f"Done {number} {marker}".strip(), status=ActionStatus.DONE)
        for number in range(open_):
            due = utc_today() - timedelta(days=3) if number < overdue else utc_today() + timedelta(days=30)
            add_action(milestone, title=f"Open {number} {marker}".strip(), due_on=due)
        db.session.commit()
        return milestone.id


def share_map(community_id: int, map_id: int, *, named: bool = True) -> None:
    """The map's latest adopted version shared with its programme's cohort, as its coordinator would; committed."""
    from hromada_civic_course.maps import sharing

    with system_scope(), tenancy_scope(tenant_id=community_id):
        change_map = db.session.get(ChangeMap, map_id)
        sharing.share(change_map, versions.latest_adopted([map_id])[map_id], named=named)
        db.session.commit()
