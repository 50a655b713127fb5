"""Test helpers of the civic course: a meeting with a problem, a change map with a stakeholder; the matrix's ids."""

from __future__ import annotations

from datetime import date

from flask import current_app

from hromada.plugin_api import db, system_scope, tenancy_scope
from hromada_civic_course.demo import adopt
from hromada_civic_course.maps import versions
from hromada_civic_course.maps.models import ChangeMap, Stakeholder
from hromada_civic_course.maps.plan import plan_for
from hromada_civic_course.meetings.models import Problem, ProblemDots, ProblemMeeting


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
        with current_app.test_request_context():  # the plan's title and the version's text are in a language
            plan_for(change_map)
            version = versions.freeze_map(change_map, None)
        if adopted:
            adopt(version, programme_id)
        db.session.commit()
        return {"meeting_id": meeting.id, "problem_id": problem.id, "map_id": change_map.id,
                "stakeholder_id": stakeholder.id, "plan_id": change_map.plan_id, "version_id": version.id}


def matrix_arguments(world) -> dict:
    ids = ("meeting_id", "problem_id", "map_id", "stakeholder_id", "version_id")
    foreign = make_map(world.b.communities[0].id, world.b.programme.id, marker="secret-b1",
                       voter_id=world.b.people["member"].id, adopted=True)
    unreachable = make_map(world.a.communities[1].id, world.a.programme.id, marker="secret-a2", adopted=True)
    return {"foreign": {key: foreign[key] for key in ids}, "unreachable": {key: unreachable[key] for key in ids}}
