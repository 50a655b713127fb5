"""The link to a programme's internships, on the operator's programme page of programmes with a civic course stage."""

from __future__ import annotations

from sqlalchemy import select

from hromada.plugin_api import ProgrammeLink, Stage, db
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.access import PLACEMENTS
from hromada_civic_course.visibility import STAGE_TYPE


def programme_links(programme) -> list[ProgrammeLink]:
    has_stage = db.session.scalar(select(Stage.id).where(Stage.programme_id == programme.id,
                                                         Stage.stage_type == STAGE_TYPE).limit(1))
    if has_stage is None:
        return []
    return [ProgrammeLink(_l("Internships abroad"), "civic_placements.internships", PLACEMENTS, order=60)]
