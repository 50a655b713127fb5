"""Sharing an adopted change map's summary with the cohort: the other communities of the map's programme.

Opt-in, by a coordinator, under the community's name or anonymously. What crosses is a
copy made when they share (`summary_of`): the goal and levels of the adopted version they
chose, and the plan's action summary then (actions done / total, overdue actions,
milestone titles with their progress). No problem, stakeholder, tool, assumption, note,
owner, member or comment. The copy changes only when a coordinator updates the share, so
the cohort never reads what the community did not choose to show: a version adopted later
is shared only when they share it, and the map's page says which version the cohort sees
and how old its figures are. Withdrawing deletes the copy at once. Every share, update
and withdrawal is audited, and so is each reading of the cohort's shares.

The cohort reads the copies through `cohort_shares` only: an explicit query on the table
(not on its ORM class, which the ORM wall keeps to the community's own rows). On
PostgreSQL the table's policy `cohort_readers` (civ0007) answers it with the rows of the
programmes the reading community is enrolled in, and nothing else; on SQLite the query's
own condition says the same.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select

from hromada.plugin_api import (Community, Page, Programme, Stage, db, page_bounds, plans_progress, programmes_taking_part, record_audit,
                                utc_now)
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.maps.models import ChangeMap, ChangeMapVersion, MapShare
from hromada_civic_course.visibility import STAGE_TYPE

SHARES = MapShare.__table__


def summary_of(change_map: ChangeMap) -> dict:
    """The action summary the cohort may read: counts and milestone titles, nothing about people or notes."""
    progress = plans_progress([change_map.plan_id]).get(change_map.plan_id) if change_map.plan_id else None
    if progress is None:
        return {"done": 0, "total": 0, "overdue": 0, "milestones": []}
    return {"done": progress.done, "total": progress.total, "overdue": progress.overdue,
            "milestones": [{"title": milestone.title, "done": milestone.done, "total": milestone.total}
                           for milestone in progress.milestones]}


def share_of(change_map: ChangeMap) -> MapShare | None:
    return db.session.scalars(select(MapShare).where(MapShare.map_id == change_map.id)).one_or_none()


def share(change_map: ChangeMap, version: ChangeMapVersion, *, named: bool) -> MapShare:
    """Share (or update the share of) `version`, which must be an adopted version of the map; not committed."""
    if version.map_id != change_map.id or version.adopted_at is None or change_map.programme_id is None:
        raise ValueError("only an adopted version of a map made in a programme is shared")
    community = db.session.get(Community, change_map.tenant_id)
    values = {"version_id": version.id, "programme_id": change_map.programme_id,
              "shown_as": community.name if named else None, "goal": version.content.get("goal", ""),
              "levels": list(version.content.get("levels", [])), "summary": summary_of(change_map),
              "shared_at": utc_now()}
    found = share_of(change_map)
    if found is None:
        found = MapShare(tenant_id=change_map.tenant_id, map_id=change_map.id)
        db.session.add(found)
    for name, value in values.items():
        setattr(found, name, value)
    db.session.flush()
    record_audit("civic_course.map_shared", community_id=change_map.tenant_id, map_id=change_map.id,
                 version=version.number, named=named)
    return found


def withdraw(change_map: ChangeMap) -> bool:
    """Delete the map's share, if any; not committed. True if there was one."""
    removed = db.session.execute(delete(MapShare).where(MapShare.map_id == change_map.id,
                                                        MapShare.tenant_id == change_map.tenant_id)).rowcount
    if removed:
        record_audit("civic_course.map_share_withdrawn", community_id=change_map.tenant_id, map_id=change_map.id)
    return bool(removed)


def cohort_programmes(community_id: int) -> list[Programme]:
    """The programmes with a civic course stage the community takes part in (enrolled, not withdrawn): whose
    cohort it reads."""
    return list(db.session.scalars(
        select(Programme)
        .where(Programme.id.in_(programmes_taking_part(community_id)),
               Programme.id.in_(select(Stage.programme_id).where(Stage.stage_type == STAGE_TYPE)))
        .order_by(Programme.title, Programme.id)))


SHARES_PER_PAGE = 25


def cohort_shares(community_id: int, number: int = 1) -> Page:
    """The shares of the programmes `community_id` is enrolled in, its own included, 25 a page (by programme,
    the latest first), in two queries; audited. A programme of 20,000 communities had 1,092 shares, every one
    rendered on every view (170 ms).

    Rows of the table itself, not ORM objects: the ORM wall would show only the community's
    own. The row-level security policy `cohort_readers` is what lets the other communities'
    rows through on PostgreSQL, and only those of the community's programmes.
    """
    enrolled = programmes_taking_part(community_id)  # a community that withdrew is no longer of the cohort
    of_cohort = SHARES.c.programme_id.in_(enrolled)
    matching = db.session.scalar(select(func.count()).select_from(SHARES).where(of_cohort)) or 0
    number, pages = page_bounds(number, matching, SHARES_PER_PAGE)
    rows = db.session.execute(
        # Whose share it is only as "ours or not": an anonymous share's row reaches the page without its community.
        select((SHARES.c.tenant_id == community_id).label("ours"), SHARES.c.programme_id, SHARES.c.shown_as,
               SHARES.c.goal, SHARES.c.levels, SHARES.c.summary, SHARES.c.shared_at)
        .where(of_cohort)
        .order_by(SHARES.c.programme_id, SHARES.c.shared_at.desc(), SHARES.c.id)
        .limit(SHARES_PER_PAGE).offset((number - 1) * SHARES_PER_PAGE)).all()
    record_audit("civic_course.cohort_maps_read", community_id=community_id, shares=len(rows), page=number)
    return Page(rows=rows, number=number, pages=pages, matching=matching)


AUDIT_LABELS = {"civic_course.map_shared": _l("Shared a change map's summary with the cohort"),
                "civic_course.map_share_withdrawn": _l("Withdrew a change map's summary from the cohort"),
                "civic_course.cohort_maps_read": _l("Read the change maps shared in the cohort")}
