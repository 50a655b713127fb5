"""Fictional demo data: one operator, one programme of three stages, a few communities.

Every name here is invented; none comes from the seed documents.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from hromada.extensions import db
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.programmes.models import Organisation, Programme, Stage

ORGANISATION = {"slug": "good-neighbours", "name": "Good Neighbours Foundation"}
PROGRAMME = {
    "slug": "systemic-development-2027",
    "title": "Systemic development of communities 2027",
    "description": (
        "A year-long programme in three stages: the incubator creates and preserves communities, "
        "the accelerator helps them plan strategically, and the civic course turns them into actors "
        "of change in their town."
    ),
    "starts_on": date(2027, 2, 1),
    "ends_on": date(2028, 1, 31),
}
STAGE_TYPES = ("incubator", "accelerator", "civic_course")
# (slug, name, index of its current stage)
COMMUNITIES = (
    ("riverside-yard", "Riverside Yard Circle", 0),
    ("lantern-readers", "Lantern Readers", 0),
    ("green-quarter", "Green Quarter Initiative", 1),
    ("night-bakers", "Night Bakers Collective", 2),
)


def _get_or_create(model, lookup: dict, values: dict | None = None):
    instance = db.session.scalar(select(model).filter_by(**lookup))
    if instance is None:
        instance = model(**lookup, **(values or {}))
        db.session.add(instance)
        db.session.flush()
    return instance


def seed_demo(stage_types: dict) -> dict:
    """Create the demo data that is missing; running it twice changes nothing."""
    organisation = _get_or_create(Organisation, {"slug": ORGANISATION["slug"]}, {"name": ORGANISATION["name"]})
    programme = _get_or_create(
        Programme,
        {"organisation_id": organisation.id, "slug": PROGRAMME["slug"]},
        {key: value for key, value in PROGRAMME.items() if key != "slug"},
    )
    stages = [
        _get_or_create(Stage, {"programme_id": programme.id, "position": position}, {"stage_type": key})
        for position, key in enumerate(STAGE_TYPES)
        if key in stage_types
    ]
    communities = []
    for slug, name, stage_index in COMMUNITIES:
        community = _get_or_create(Community, {"slug": slug}, {"name": name})
        current = stages[min(stage_index, len(stages) - 1)] if stages else None
        _get_or_create(
            Enrolment,
            {"tenant_id": community.id, "programme_id": programme.id},
            {"current_stage_id": current.id if current else None},
        )
        communities.append(community)
    db.session.commit()
    return {"organisation": organisation, "programme": programme, "communities": communities}


def database_is_empty() -> bool:
    return db.session.scalar(select(Organisation.id).limit(1)) is None
