"""Fictional demo data: one operator, one programme of three stages, communities, and a sign-in per role.

Every name here is invented; none comes from the seed documents.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from hromada import tenancy
from hromada.clock import now
from hromada.demo.decisions import seed_decisions
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership, StaffRole, User
from hromada.modules.accounts.passwords import hash_password
from hromada.modules.factors.published import DEMO_TOTP_SECRET, ensure_totp
from hromada.modules.communities.models import Community, Enrolment, StaffAssignment
from hromada.modules.organisations.models import Organisation
from hromada.modules.notifications.service import notify
from hromada.modules.programmes.models import Programme, Stage

# Shared by every demo account; printed by `make run`. Demo data only, never production.
DEMO_PASSWORD = "demo-password-2027"

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
    # Run in English and Ukrainian: its texts in Ukrainian too (its call text, once written, in English only).
    "languages": ["en", "uk"],
    "language": "en",
    "translations": {"uk": {
        "title": "Системний розвиток спільнот 2027",
        "description": (
            "Річна програма у три етапи: інкубатор створює та зберігає спільноти, акселератор допомагає їм "
            "планувати стратегічно, а громадянський курс робить їх дієвими учасниками змін у своєму місті."
        ),
    }},
}
STAGE_TYPES = ("incubator", "accelerator", "civic_course")
# (name, index of its current stage)
COMMUNITIES = (
    ("Riverside Yard Circle", 0),
    ("Lantern Readers", 0),
    ("Green Quarter Initiative", 1),
    ("Night Bakers Collective", 2),
    # The accelerator's other communities, each at another step of the scholarship call (scholarships/demo.py).
    ("Linden Court Neighbours", 1),
    ("Amber Hill Allotments", 1),
    ("Stone Bridge Youth Hub", 1),
)
# (handle, what the account is for) — pseudonyms, as real users may choose.
STAFF = (
    ("olena-operator", StaffRole.OPERATOR),
    ("mykola-mentor", StaffRole.MENTOR),
    ("iryna-expert", StaffRole.EXPERT),
    ("taras-facilitator", StaffRole.FACILITATOR),
)
COMMUNITY_PEOPLE = (
    ("sova", CommunityRole.COORDINATOR, "Riverside Yard Circle"),
    ("lys", CommunityRole.MEMBER, "Riverside Yard Circle"),
    ("zhuravel", CommunityRole.COORDINATOR, "Green Quarter Initiative"),
    ("chapla", CommunityRole.MEMBER, "Green Quarter Initiative"),
    ("kalyna", CommunityRole.MEMBER, "Green Quarter Initiative"),
    ("khlibna", CommunityRole.COORDINATOR, "Night Bakers Collective"),
    ("drizhdzhi", CommunityRole.MEMBER, "Night Bakers Collective"),
    ("lypa", CommunityRole.COORDINATOR, "Linden Court Neighbours"),
    ("horikh", CommunityRole.MEMBER, "Linden Court Neighbours"),
    ("burshtyn", CommunityRole.COORDINATOR, "Amber Hill Allotments"),
    ("kamin", CommunityRole.COORDINATOR, "Stone Bridge Youth Hub"),
    ("mist", CommunityRole.MEMBER, "Stone Bridge Youth Hub"),
)
ADMIN_HANDLE = "admin"
# Every demo account's first notification (sent once: notifications are keyed).
WELCOME = _l("Welcome to the Hromada demo: every person, community and event here is fictional. "
             "Try what your role can do.")


def _get_or_create(model, lookup: dict, values: dict | None = None):
    instance = db.session.scalar(select(model).filter_by(**lookup))
    if instance is None:
        instance = model(**lookup, **(values or {}))
        db.session.add(instance)
        db.session.flush()
    return instance


def _user(handle: str, password_hash: str, **values) -> User:
    return _get_or_create(User, {"handle": handle}, {"password_hash": password_hash, **values})


def seed_demo(stage_types: dict) -> dict:
    """Create the demo data that is missing; running it twice changes nothing."""
    with tenancy.system_scope():
        organisation = _get_or_create(Organisation, {"slug": ORGANISATION["slug"]}, {"name": ORGANISATION["name"]})
        programme = _get_or_create(
            Programme,
            {"organisation_id": organisation.id, "slug": PROGRAMME["slug"]},
            {key: value for key, value in PROGRAMME.items() if key != "slug"},
        )
        stages = [
            _get_or_create(Stage, {"programme_id": programme.id, "position": position}, {"stage_type": key})
            for position, key in enumerate(key for key in STAGE_TYPES if key in stage_types)
        ]
        if programme.published_at is None and stages:  # the demo's programme is public, as a running one is
            programme.published_at = now()
        # One hash for all: every demo account has the same, published password.
        password_hash = hash_password(DEMO_PASSWORD)
        admin = _user(ADMIN_HANDLE, password_hash, is_platform_admin=True)
        # Staff and the admin need a second factor: an authenticator app with the published demo secret.
        ensure_totp(admin.id, DEMO_TOTP_SECRET)
        staff = {}
        for handle, role in STAFF:
            user = _user(handle, password_hash)
            ensure_totp(user.id, DEMO_TOTP_SECRET)
            _get_or_create(StaffMembership, {"organisation_id": organisation.id, "user_id": user.id, "role": role})
            staff[role] = user

        communities = {}
        for name, stage_index in COMMUNITIES:
            community = db.session.scalar(select(Community).where(Community.name == name))
            if community is None:
                community = Community.create(name)
            communities[name] = community
            current = stages[min(stage_index, len(stages) - 1)] if stages else None
            enrolment = _get_or_create(
                Enrolment,
                {"tenant_id": community.id, "programme_id": programme.id},
                {"organisation_id": organisation.id, "current_stage_id": current.id if current else None},
            )
            if name in ("Riverside Yard Circle", "Green Quarter Initiative"):
                # The mentor, the expert and the facilitator support two of the four communities.
                for role in (StaffRole.MENTOR, StaffRole.EXPERT, StaffRole.FACILITATOR):
                    _get_or_create(
                        StaffAssignment,
                        {"tenant_id": community.id, "enrolment_id": enrolment.id, "user_id": staff[role].id, "role": role},
                        {"organisation_id": organisation.id},
                    )
        people, members = {}, {}
        for handle, role, community_name in COMMUNITY_PEOPLE:
            user = people[handle] = _user(handle, password_hash)
            _get_or_create(
                CommunityMembership, {"tenant_id": communities[community_name].id, "user_id": user.id}, {"role": role}
            )
            members[community_name] = members.get(community_name, 0) + 1
        seed_decisions(communities, people, members, programme.id)
        people.update({handle: _user(handle, password_hash) for handle, _role in STAFF})
        current_app.extensions["hromada.plugins"].hook.hromada_demo_data(communities=communities, people=people)
        notify([admin.id, *(user.id for user in people.values())], key="demo:welcome", message=WELCOME, link="/")
        db.session.commit()
    return {"organisation": organisation, "programme": programme, "communities": list(communities.values())}


def sign_ins() -> list[tuple[str, str]]:
    """(handle, role) of every demo account, for README and `make run` to print."""
    rows = [(ADMIN_HANDLE, "platform admin")]
    rows += [(handle, role.value) for handle, role in STAFF]
    rows += [(handle, f"{role.value} of {community}") for handle, role, community in COMMUNITY_PEOPLE]
    return rows


def database_is_empty() -> bool:
    return db.session.scalar(select(Organisation.id).limit(1)) is None
