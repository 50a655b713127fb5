"""Communities I support: a staff member's communities, with their programme, stage and the person's roles.

An operator supports every community of the organisation (20,000 of them were read, named and rendered on
every view: 1.3 s); they are shown 50 a page by name from the cohort's read model, with links to each
programme's cohort overview, where they are filtered and sorted. Mentors, experts and facilitators see the
communities assigned to them (a short list), as before.
"""

from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from hromada import authz, tenancy
from hromada.extensions import db
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.communities.reach import assigned_reach
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.progress.standings.model import CohortStanding
from hromada.paging import Page, bounds, requested_number
from hromada.roles import StaffRole

PAGE_SIZE = 50


def staff_communities():
    principal = authz.principal()
    number = requested_number()
    assigned = assigned_reach(principal)
    operated = sorted(org for org in principal.staff if principal.operates(org))
    sections = [_operated(organisation_id, assigned, number) for organisation_id in operated]
    rows = _assigned_rows({community: {org: roles for org, roles in by_org.items() if org not in operated}
                           for community, by_org in assigned.items()})
    page = render_template("progress/staff_communities.html", sections=sections, rows=rows,
                           stage_types=current_app.extensions["hromada.stage_types"])
    db.session.commit()  # the audited reads, once the page is made (a commit expires what it shows)
    return page


def _operated(organisation_id: int, assigned: dict, number: int) -> dict:
    """One page of an organisation's communities by name, for its operator: read in its scope, audited."""
    with tenancy.scope(organisation_id=organisation_id):
        mine = CohortStanding.organisation_id == organisation_id
        matching = db.session.scalar(select(func.count()).where(mine)) or 0
        number, pages = bounds(number, matching, PAGE_SIZE)
        standings = db.session.scalars(select(CohortStanding).where(mine)
                                       .order_by(CohortStanding.sort_name, CohortStanding.enrolment_id)
                                       .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
        programmes = db.session.scalars(select(Programme).where(Programme.organisation_id == organisation_id)
                                        .order_by(Programme.title)).all()
        stage_ids = {row.current_stage_id for row in standings if row.current_stage_id}
        stages = {stage.id: stage for stage in db.session.scalars(
            select(Stage).where(Stage.id.in_(stage_ids)))} if stage_ids else {}
        if standings:
            record("staff.list_communities", organisation_id=organisation_id,
                   communities=sorted({row.tenant_id for row in standings}))
    titles = {programme.id: programme.title for programme in programmes}
    rows = [(row.tenant_id, row.name, titles.get(row.programme_id, ""), stages.get(row.current_stage_id),
             sorted({StaffRole.OPERATOR} | assigned.get(row.tenant_id, {}).get(organisation_id, set())))
            for row in standings]
    return {"organisation_id": organisation_id, "programmes": programmes, "rows": rows,
            "page": Page(rows=rows, number=number, pages=pages, matching=matching)}


def _assigned_rows(assigned: dict[int, dict[int, set]]) -> list[tuple]:
    """(community id, name, programme title, current stage, roles) of the communities assigned to the person."""
    reach = {community: by_org for community, by_org in assigned.items() if by_org}
    if not reach:
        return []
    tenancy.allow_reading(reach.keys())
    for organisation_id in sorted({org for orgs in reach.values() for org in orgs}):
        record("staff.list_communities", organisation_id=organisation_id,
               communities=sorted(c for c, orgs in reach.items() if organisation_id in orgs))
    names = dict(db.session.execute(select(Community.id, Community.name).where(Community.id.in_(reach.keys()))).all())
    rows = []
    for enrolment in db.session.scalars(select(Enrolment).options(
            joinedload(Enrolment.programme), joinedload(Enrolment.current_stage))
            .where(Enrolment.tenant_id.in_(reach.keys()))):
        roles = reach.get(enrolment.tenant_id, {}).get(enrolment.organisation_id)
        if roles:
            rows.append((enrolment.tenant_id, names.get(enrolment.tenant_id, ""), enrolment.programme.title,
                         enrolment.current_stage, sorted(roles)))
    return sorted(rows, key=lambda row: (row[1].lower(), row[0]))
