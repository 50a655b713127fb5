"""The civic course's rows in the scale data, added through the core's `hromada_scale_data` hook."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from hromada.plugin_api import Enrolment, Stage, db, system_scope
from hromada.testing.factories import sign_in
from hromada_civic_course.maps.models import ChangeMap, ChangeMapVersion
from hromada_civic_course.meetings.models import DOTS_PER_MEMBER, Problem, ProblemDots, ProblemMeeting
from hromada_civic_course.sessions.models import StrategicSession

SCALE_PASSWORD = "scale-password-2027"  # published with the benchmark (README)


def test_every_community_in_the_civic_course_gets_meetings_maps_and_sessions(app, client, runner):
    result = runner.invoke(args=["demo", "--scale", "24"])  # the core's generator finds this plugin by its hook
    assert result.exit_code == 0, result.output
    created = dict(re.findall(r"^  (\w+) +([\d,]+)$", result.output, re.M))
    ids = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", result.output.split("Objects:")[1])}
    coordinator = re.search(r"^  (\S+) +coordinator$", result.output, re.M).group(1)
    db.session.remove()
    with system_scope():
        in_stage = set(db.session.scalars(select(Enrolment.tenant_id).join(Stage, Stage.id == Enrolment.current_stage_id)
                                          .where(Stage.stage_type == "civic_course")))
        with_meetings = set(db.session.scalars(select(ProblemMeeting.tenant_id)))
        assert in_stage and in_stage <= with_meetings
        assert int(created["civic_change_maps"]) == db.session.scalar(select(func.count(ChangeMap.id)))
        assert db.session.scalar(select(func.count(ChangeMapVersion.id))) >= 1
        assert db.session.scalar(select(func.count(StrategicSession.id))) >= 1
        spent = db.session.execute(select(ProblemDots.user_id, Problem.meeting_id, func.sum(ProblemDots.dots))
                                   .join(Problem, Problem.id == ProblemDots.problem_id)
                                   .group_by(ProblemDots.user_id, Problem.meeting_id)).all()
        assert spent and max(total for _user, _meeting, total in spent) <= DOTS_PER_MEMBER
    assert {"meeting_id", "map_id", "session_id"} <= set(ids)
    assert sign_in(client, coordinator, SCALE_PASSWORD).status_code == 302
    base = f"/communities/{ids['community_id']}/civic-course"
    for path in (f"{base}/meetings/{ids['meeting_id']}", f"{base}/maps/{ids['map_id']}",
                 f"{base}/sessions/{ids['session_id']}"):
        assert client.get(path).status_code == 200, path
