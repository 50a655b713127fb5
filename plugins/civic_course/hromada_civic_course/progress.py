"""The civic course's block on a community's progress page: its meetings and its change maps with their progress."""

from __future__ import annotations

from sqlalchemy import func, select

from hromada.plugin_api import ProgressSection, db
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.maps.models import ChangeMap
from hromada_civic_course.maps.plan import progress_of
from hromada_civic_course.maps.versions import maps_clause
from hromada_civic_course.meetings.models import Problem, ProblemMeeting
from hromada_civic_course.visibility import STAGE_TYPE, staff_programmes, visible


def civic_section(enrolment, stage) -> list[ProgressSection]:
    if stage is None or stage.stage_type != STAGE_TYPE:
        return []
    community_id = enrolment.tenant_id
    programmes = staff_programmes(community_id)
    meetings = db.session.scalar(select(func.count(ProblemMeeting.id)).where(
        ProblemMeeting.tenant_id == community_id, visible(ProblemMeeting, programmes)))
    rows = db.session.execute(select(ChangeMap, Problem.title).join(Problem, Problem.id == ChangeMap.problem_id)
                              .where(ChangeMap.tenant_id == community_id, maps_clause(community_id))
                              .order_by(ChangeMap.id)).all()
    return [ProgressSection("civic_course.maps", _l("Problems and change maps"), "civic_maps/_progress.html",
                            {"meetings": meetings, "rows": rows, "progress": progress_of([row[0] for row in rows]),
                             "community_id": community_id}, order=30)]
