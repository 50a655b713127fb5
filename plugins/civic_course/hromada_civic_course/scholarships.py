"""What the civic course tells scholarship calls: change maps as artefacts an application links to, and who may
apply to a call of a civic course stage (a change map adopted with an action plan)."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from hromada.plugin_api import ArtefactKind, EligibilityCondition, db, hookimpl
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.maps.models import ChangeMap
from hromada_civic_course.meetings.models import Problem
from hromada_civic_course.requirements import STAGE_TYPE, evaluate_maps


def map_options(community_id: int) -> list[tuple[int, str]]:
    """The community's change maps, named by the problem each one answers."""
    rows = db.session.execute(
        select(ChangeMap.id, Problem.title).join(Problem, Problem.id == ChangeMap.problem_id)
        .where(ChangeMap.tenant_id == community_id).order_by(ChangeMap.id.desc())
    ).all()
    return [(map_id, str(_l("Change map: %(problem)s", problem=title))) for map_id, title in rows]


@hookimpl
def hromada_artefact_kinds():
    return [ArtefactKind("civic_course.change_map", _l("Change map"), map_options)]


@hookimpl
def hromada_scholarship_eligibility(call, stage, community_id):
    if stage.stage_type != STAGE_TYPE:
        return []
    one = [SimpleNamespace(id=community_id, tenant_id=community_id, programme_id=stage.programme_id)]
    maps = evaluate_maps(stage, one)[community_id]
    return [EligibilityCondition("civic_course.change_map", _l("A change map adopted with an action plan"), maps.met,
                                 _l("Adopted, with an action plan.") if maps.met else maps.reason)]
