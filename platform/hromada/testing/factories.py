"""Builders of test data: a whole small world of organisations, communities and people."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership, StaffRole, User
from hromada.modules.accounts.passwords import hash_password
from hromada.modules.communities.models import Community, Enrolment, StaffAssignment
from hromada.modules.organisations.models import Organisation
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.factors.published import ensure_totp
from hromada.modules.factors.testing import TEST_TOTP_SECRET, forget_used_codes, totp_code
from hromada.testing.forms import csrf_token

SECOND_STEP = "/sign-in/second-factor"

PASSWORD = "correct horse battery staple"


def make_user(handle: str, *, password: str = PASSWORD, second_factor: bool = False, **values) -> User:
    """A person; with `second_factor`, an authenticator app of TEST_TOTP_SECRET (staff need one)."""
    user = User(handle=handle, password_hash=hash_password(password), **values)
    db.session.add(user)
    db.session.flush()
    if second_factor:
        with tenancy.system_scope():
            ensure_totp(user.id, TEST_TOTP_SECRET)
    return user


def make_member(community_id: int, handle: str, role: str = "coordinator") -> User:
    """A person who belongs to the community with `role` ("coordinator" or "member"); committed.

    The test world's second communities have nobody: a test that needs a person there makes one.
    """
    with tenancy.system_scope():
        user = make_user(handle)
        db.session.add(CommunityMembership(tenant_id=community_id, user_id=user.id, role=CommunityRole(role)))
        db.session.commit()
        return user


@dataclass
class Side:
    """One organisation with its programme, two communities and a person in every role."""

    organisation: Organisation
    programme: Programme
    communities: list[Community]
    people: dict[str, User] = field(default_factory=dict)


@dataclass
class World:
    admin: User
    sides: list[Side]

    @property
    def a(self) -> Side:
        return self.sides[0]

    @property
    def b(self) -> Side:
        return self.sides[1]


ROLES = ("operator", "mentor", "expert", "facilitator", "coordinator", "member")


def build_world() -> World:
    """Two organisations, two programmes, four communities, every role on each side.

    Side A's mentor, expert and facilitator are assigned to A's first community
    only; A's coordinator and member belong to A's first community.
    """
    with tenancy.system_scope():
        admin = make_user("platform-admin", is_platform_admin=True, second_factor=True)
        sides = [_build_side(letter) for letter in ("a", "b")]
        db.session.commit()
        # Load the committed rows again while every tenant is readable, so the
        # test can use their ids and names whatever context it sets next.
        for instance in [admin, *(obj for side in sides for obj in _objects(side))]:
            db.session.refresh(instance)
    return World(admin=admin, sides=sides)


def _objects(side: Side):
    yield side.organisation
    yield side.programme
    yield from side.communities
    yield from side.people.values()


def _build_side(letter: str) -> Side:
    organisation = Organisation(slug=f"org-{letter}", name=f"Organisation {letter.upper()}")
    db.session.add(organisation)
    db.session.flush()
    programme = Programme(organisation_id=organisation.id, slug=f"programme-{letter}",
                          title=f"Programme {letter.upper()}", description="", published_at=now())
    db.session.add(programme)
    db.session.flush()
    stage = Stage(programme_id=programme.id, position=0, stage_type="incubator")
    db.session.add(stage)
    db.session.flush()
    side = Side(organisation=organisation, programme=programme, communities=[])
    for number in (1, 2):
        community = Community.create(f"Community {letter.upper()}{number} secret-{letter}{number}")
        enrolment = Enrolment(tenant_id=community.id, organisation_id=organisation.id, programme_id=programme.id,
                              current_stage_id=stage.id)
        db.session.add(enrolment)
        db.session.flush()
        side.communities.append(community)
        if number == 1:
            first_enrolment = enrolment
    for role in ("operator", "mentor", "expert", "facilitator"):
        user = make_user(f"{role}-{letter}", second_factor=True)
        db.session.add(StaffMembership(organisation_id=organisation.id, user_id=user.id, role=StaffRole(role)))
        side.people[role] = user
        if role != "operator":
            db.session.add(StaffAssignment(tenant_id=first_enrolment.tenant_id, organisation_id=organisation.id,
                                           enrolment_id=first_enrolment.id, user_id=user.id, role=StaffRole(role)))
    for role in ("coordinator", "member"):
        user = make_user(f"{role}-{letter}")
        db.session.add(CommunityMembership(tenant_id=side.communities[0].id, user_id=user.id, role=CommunityRole(role)))
        side.people[role] = user
    db.session.flush()
    return side


def sign_in(client, login: str, password: str = PASSWORD, *, secret: str = TEST_TOTP_SECRET):
    """Sign in through the real forms, as a browser would: the password, then (for a person who has one)
    a code of their authenticator app computed here. Returns the last response."""
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in", data={"csrf_token": token, "login": login, "password": password})
    if response.status_code != 302 or urlsplit(response.location).path != SECOND_STEP:
        return response
    forget_used_codes(login)  # the same person signs in many times a minute in tests
    return client.post(SECOND_STEP, data={"csrf_token": csrf_token(client, SECOND_STEP), "code": totp_code(secret)})


def signed_in(app, login: str, password: str = PASSWORD):
    """A test client of its own, signed in as `login` (fails the test if signing in fails)."""
    client = app.test_client()
    assert sign_in(client, login, password).status_code == 302, login
    return client
