"""The civic course's blocks on a community's progress page: meetings and change maps with their progress; sessions."""

from __future__ import annotations

from sqlalchemy import func, select

from hromada.plugin_api import ProgressSection, current_principal, db
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.internships.models import STATUS_NAMES, HostOrganisation, InternshipApplication, Placement
from hromada_civic_course.maps.models import ChangeMap
from hromada_civic_course.maps.plan import progress_of
from hromada_civic_course.maps.versions import maps_clause
from hromada_civic_course.meetings.models import Problem, ProblemMeeting
from hromada_civic_course.sessions.reading import held, sessions_of
from hromada_civic_course.visibility import STAGE_TYPE, staff_programmes, visible


def civic_section(enrolment, stage) -> list[ProgressSection]:
    if stage is None or stage.stage_type != STAGE_TYPE:
        return []
    community_id = enrolment.tenant_id
    programmes = staff_programmes(community_id)
    meetings = db.session.scalar(select(func.count(ProblemMeeting.id)).where(
        ProblemMeeting.tenant_id == community_id, visible(ProblemMeeting, programmes)))
    sessions = sessions_of(community_id)
    rows = db.session.execute(select(ChangeMap, Problem.title).join(Problem, Problem.id == ChangeMap.problem_id)
                              .where(ChangeMap.tenant_id == community_id, maps_clause(community_id))
                              .order_by(ChangeMap.id)).all()
    return [ProgressSection("civic_course.maps", _l("Problems and change maps"), "civic_maps/_progress.html",
                            {"meetings": meetings, "rows": rows, "progress": progress_of([row[0] for row in rows]),
                             "community_id": community_id}, order=30),
            ProgressSection("civic_course.sessions", _l("Strategic sessions"), "civic_sessions/_progress.html",
                            {"sessions": sessions, "held": len(held(sessions)), "community_id": community_id},
                            order=31),
            *_internships(community_id)]


def _internships(community_id: int) -> list[ProgressSection]:
    """The members' own placements: only they see them here (operators follow them on their own pages)."""
    if community_id not in current_principal().memberships:
        return []
    rows = db.session.execute(
        select(InternshipApplication, Placement, HostOrganisation)
        .join(Placement, Placement.id == InternshipApplication.placement_id)
        .join(HostOrganisation, HostOrganisation.id == Placement.host_id)
        .where(InternshipApplication.tenant_id == community_id)
        .order_by(Placement.starts_on.desc(), InternshipApplication.id)).all()
    return [ProgressSection("civic_course.internships", _l("Internships abroad"), "civic_internships/_progress.html",
                            {"rows": rows, "statuses": STATUS_NAMES, "community_id": community_id}, order=32)]
