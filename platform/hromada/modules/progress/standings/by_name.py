"""A programme's communities a page at a time by name, from the read model: for the staff pages that list them.

An operator's page of 8,000 communities reads 50 of them off the read model's index on (programme, name),
not 8,000: the course pages, the attendance form and the events' participation page share this.
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from hromada.extensions import db
from hromada.modules.progress.standings.model import CohortStanding, ProgrammeCohortCount
from hromada.paging import Page, bounds


def communities_by_name(programme, number: int, size: int, *, among: Iterable[int] | None = None,
                        where=None) -> Page:
    """The programme's enrolments as read-model rows (`CohortStanding`: enrolment, community, name), `size` a
    page by name; two queries whatever the size of the programme.

    `among`: only these communities (the ones a facilitator is assigned to; None for an operator, who reaches
    every community of the organisation); `where`: a further condition on `CohortStanding`. The caller audits
    the read of the page's communities.
    """
    standing = CohortStanding
    statement = select(standing).where(standing.programme_id == programme.id,
                                       standing.organisation_id == programme.organisation_id)
    # Who and where, not what was evaluated (the requirements' outcomes and the plugins' columns).
    shown = load_only(standing.tenant_id, standing.organisation_id, standing.programme_id, standing.name,
                      standing.current_stage_id)
    if among is not None:
        statement = statement.where(standing.tenant_id.in_(sorted(set(among))))
    if where is not None:
        statement = statement.where(where)
    if among is None and where is None:  # every community of the programme: the count kept on write
        matching = db.session.scalar(select(ProgrammeCohortCount.communities)
                                     .where(ProgrammeCohortCount.programme_id == programme.id)) or 0
    else:
        matching = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    number, pages = bounds(number, matching, size)
    rows = db.session.scalars(statement.options(shown).order_by(standing.sort_name, standing.enrolment_id)
                              .limit(size).offset((number - 1) * size)).all()
    return Page(rows=list(rows), number=number, pages=pages, matching=matching)
