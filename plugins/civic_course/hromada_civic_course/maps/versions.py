"""A change map as a subject of the community's decisions: frozen versions, adopted when the proposal passes.

A version holds the map as it was read (problem, goal, levels, tools, assumptions,
stakeholders); what passes is exactly that version. Which maps count for the stage:
adopted by a decision shared with the stage's programme, with at least one action in
their plan (`counted_maps`, a fixed number of queries for any number of communities).
"""

from __future__ import annotations

import hashlib
import json

from flask_babel import gettext as _
from sqlalchemy import func, select, true
from sqlalchemy.exc import IntegrityError

from hromada.plugin_api import DecisionSubject, FrozenText, Proposal, db, plans_progress, record_audit, utc_now
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.maps.models import KINDS, LEVELS, TOOLS, ChangeMap, ChangeMapVersion, Stakeholder
from hromada_civic_course.maps.plan import share_plan
from hromada_civic_course.meetings.models import Problem
from hromada_civic_course.visibility import reads_drafts, staff_programmes

SUBJECT = "civic_course.change_map"


def content_of(change_map: ChangeMap) -> dict:
    problem = db.session.get(Problem, change_map.problem_id)
    stakeholders = db.session.scalars(select(Stakeholder).where(Stakeholder.map_id == change_map.id)
                                      .order_by(Stakeholder.name)).all()
    return {"problem": problem.title if problem else "", "goal": change_map.goal, "levels": list(change_map.levels),
            "tools": list(change_map.tools), "assumptions": change_map.assumption_list,
            "stakeholders": [{"name": s.name, "kind": s.kind, "influence": s.influence, "interest": s.interest}
                             for s in stakeholders]}


def text_of(content: dict) -> str:
    def names(keys, labels):
        return ", ".join(str(labels.get(key, key)) for key in keys) or "—"

    lines = [f"## {_('Problem')}", "", content["problem"], "", f"## {_('The change we want')}", "", content["goal"], "",
             f"**{_('Levels of policy')}:** {names(content['levels'], LEVELS)}", "",
             f"**{_('Tools of influence')}:** {names(content['tools'], TOOLS)}", "", f"## {_('Stakeholders')}", ""]
    for stakeholder in content["stakeholders"]:
        lines.append(f"- {stakeholder['name']} ({KINDS.get(stakeholder['kind'], stakeholder['kind'])}; "
                     f"{_('Influence')} {stakeholder['influence']}, {_('Interest')} {stakeholder['interest']})")
    if content["assumptions"]:
        lines += ["", f"## {_('Assumptions')}", ""] + [f"- {line}" for line in content["assumptions"]]
    return "\n".join(lines)


def fingerprint(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def freeze_map(change_map: ChangeMap, created_by_id: int | None) -> ChangeMapVersion:
    """The version of the map as it is: the existing one if frozen before, else a new one (committed)."""
    content = content_of(change_map)
    digest = fingerprint(content)
    query = select(ChangeMapVersion).where(ChangeMapVersion.map_id == change_map.id,
                                           ChangeMapVersion.fingerprint == digest)
    version = db.session.scalars(query).one_or_none()
    if version is not None:
        return version
    number = (db.session.scalar(select(func.max(ChangeMapVersion.number))
                                .where(ChangeMapVersion.map_id == change_map.id)) or 0) + 1
    db.session.add(ChangeMapVersion(tenant_id=change_map.tenant_id, map_id=change_map.id, number=number,
                                    text=text_of(content), content=content, fingerprint=digest,
                                    created_by_id=created_by_id))
    try:
        db.session.commit()
    except IntegrityError:  # frozen at the same instant by someone else: theirs is the same content
        db.session.rollback()
    return db.session.scalars(query).one()


def adopted_clause(programmes):
    """Adopted versions; for staff (`programmes` not None) adopted by a decision shared with one of them."""
    clause = ChangeMapVersion.adopted_at.is_not(None)
    if programmes is not None:
        clause &= ChangeMapVersion.id.in_(select(Proposal.subject_id).where(
            Proposal.subject_type == SUBJECT, Proposal.passed.is_(True), Proposal.programme_id.in_(programmes)))
    return clause


def maps_clause(community_id: int):
    """A filter on `ChangeMap`: every map for members; for staff, their programme's maps, drafts only for its
    mentors and facilitators."""
    programmes = staff_programmes(community_id)
    if programmes is None:
        return true()
    clause = ChangeMap.programme_id.in_(programmes)
    if reads_drafts(community_id):
        return clause
    return clause & ChangeMap.id.in_(select(ChangeMapVersion.map_id).where(adopted_clause(programmes)))


def latest_adopted(map_ids, programmes=None) -> dict[int, ChangeMapVersion]:
    """{map id: its latest adopted version}, in one query."""
    found = {}
    for version in db.session.scalars(select(ChangeMapVersion).where(
            ChangeMapVersion.map_id.in_(list(map_ids)), adopted_clause(programmes))
            .order_by(ChangeMapVersion.adopted_at, ChangeMapVersion.id)):
        found[version.map_id] = version
    return found


def counted_maps(tenant_ids, programme_id: int) -> dict[int, int]:
    """{community id: maps adopted by a decision shared with the programme that have an action in their plan}."""
    rows = db.session.execute(
        select(ChangeMap.tenant_id, ChangeMap.plan_id).where(
            ChangeMap.tenant_id.in_(list(tenant_ids)), ChangeMap.plan_id.is_not(None),
            ChangeMap.id.in_(select(ChangeMapVersion.map_id).where(adopted_clause([programme_id]))))).all()
    progress = plans_progress([plan_id for _tenant, plan_id in rows])
    counts: dict[int, int] = {}
    for tenant_id, plan_id in rows:
        if progress.get(plan_id) and progress[plan_id].total:
            counts[tenant_id] = counts.get(tenant_id, 0) + 1
    return counts


def _version(version_id: int) -> ChangeMapVersion | None:
    # The current context is the community's: another community's version is not found.
    return db.session.scalars(select(ChangeMapVersion).where(ChangeMapVersion.id == version_id)).one_or_none()


def freeze(version_id: int) -> FrozenText | None:
    version = _version(version_id)
    if version is None:
        return None
    return FrozenText(_("Change map “%(problem)s”, version %(number)s", problem=version.content.get("problem", ""),
                        number=version.number), version.text, str(version.id))


def decided(version_id: int, version: str, passed: bool) -> None:
    found = _version(int(version))
    if passed and found is not None and found.adopted_at is None:
        found.adopted_at = utc_now()
        share_plan(db.session.get(ChangeMap, found.map_id))
        record_audit("civic_course.change_map_adopted", community_id=found.tenant_id, map_id=found.map_id,
                     version=found.number)


CHANGE_MAP = DecisionSubject(SUBJECT, _l("A change map"), freeze=freeze, decided=decided,
                             endpoint="civic_maps.version", id_argument="version_id")
AUDIT_LABELS = {"civic_course.change_map_adopted": _l("Adopted a change map")}
