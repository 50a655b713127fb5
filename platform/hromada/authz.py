"""The one place that answers "may this person do this to this object?".

Every view declares what it needs with `@public` or `@requires(...)`; a view
that declares nothing is refused (default deny, checked before each request).
`@requires` also sets the tenancy context the view then works in, so a
permission and the data it opens always go together.

Who sees a community's data:
- its coordinators and members, as members of that tenant;
- staff of an organisation in whose programme it is enrolled: operators of
  that organisation, and the mentors, experts and facilitators assigned to its
  enrolment. Staff only read, and every such read is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import Callable

from flask import abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import String, bindparam, cast, literal, select, union_all

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership, StaffRole


@dataclass
class Principal:
    """What the signed-in person is, loaded once per request."""

    user_id: int | None = None
    is_admin: bool = False
    staff: dict[int, set[StaffRole]] = field(default_factory=dict)
    memberships: dict[int, CommunityRole] = field(default_factory=dict)
    _reach: dict[int, dict[int, set[StaffRole]]] | None = None

    def staff_roles(self, organisation_id: int) -> set[StaffRole]:
        return self.staff.get(organisation_id, set())

    def staff_reach(self) -> dict[int, dict[int, set[StaffRole]]]:
        """community id -> {organisation id -> roles that reach it}, for this person as staff."""
        if self._reach is None:
            self._reach = _staff_reach(self)
        return self._reach

    def reaches(self, community_id: int) -> dict[int, set[StaffRole]]:
        return self.staff_reach().get(community_id, {}) if self.staff else {}


def _staff_reach(principal: Principal) -> dict[int, dict[int, set[StaffRole]]]:
    from hromada.modules.communities.models import Enrolment, StaffAssignment

    reach: dict[int, dict[int, set[StaffRole]]] = {}
    for organisation_id, roles in principal.staff.items():
        with tenancy.scope(organisation_id=organisation_id):
            if StaffRole.OPERATOR in roles:
                rows = db.session.execute(
                    select(Enrolment.tenant_id).where(Enrolment.organisation_id == organisation_id)
                )
                for (community_id,) in rows:
                    reach.setdefault(community_id, {}).setdefault(organisation_id, set()).add(StaffRole.OPERATOR)
            rows = db.session.execute(
                select(StaffAssignment.tenant_id, StaffAssignment.role).where(
                    StaffAssignment.organisation_id == organisation_id,
                    StaffAssignment.user_id == principal.user_id,
                )
            )
            for community_id, role in rows:
                if role in roles:  # an assignment counts only while the person still holds the role
                    reach.setdefault(community_id, {}).setdefault(organisation_id, set()).add(role)
    return reach


def principal() -> Principal:
    if "hromada_principal" not in g:
        g.hromada_principal = _load_principal()
    return g.hromada_principal


@lru_cache(maxsize=1)
def _roles_statement():
    """Staff roles and community memberships in one query: every signed-in request asks.

    Built once (a statement is immutable): building it took longer than running it.
    """
    user_id = bindparam("user_id")
    return union_all(
        select(literal(True), StaffMembership.organisation_id, cast(StaffMembership.role, String))
        .where(StaffMembership.user_id == user_id),
        select(literal(False), CommunityMembership.tenant_id, cast(CommunityMembership.role, String))
        .where(CommunityMembership.user_id == user_id),
    )


def _load_principal() -> Principal:
    if not current_user.is_authenticated:
        return Principal()
    user_id = current_user.id
    staff: dict[int, set[StaffRole]] = {}
    memberships: dict[int, CommunityRole] = {}
    for is_staff, target_id, role in db.session.execute(_roles_statement(), {"user_id": user_id}):
        if is_staff:
            staff.setdefault(target_id, set()).add(StaffRole(role))
        else:
            memberships[target_id] = CommunityRole(role)
    return Principal(user_id=user_id, is_admin=current_user.is_platform_admin, staff=staff, memberships=memberships)


# --- The rules ----------------------------------------------------------------

MEMBER_ROLES = {CommunityRole.COORDINATOR, CommunityRole.MEMBER}


def _community_rule(member_roles: set[CommunityRole], staff_roles: set[StaffRole]):
    def rule(p: Principal, community_id: int) -> bool:
        if p.memberships.get(community_id) in member_roles:
            return True
        return any(roles & staff_roles for roles in p.reaches(community_id).values())

    return rule


ALL_STAFF = set(StaffRole)

RULES: dict[str, Callable[[Principal, int | None], bool]] = {
    "platform.administer": lambda p, _: p.is_admin,
    "platform.read_audit": lambda p, _: p.is_admin,
    "organisation.view": lambda p, organisation_id: bool(p.staff_roles(organisation_id)),
    "organisation.manage_staff": lambda p, organisation_id: StaffRole.OPERATOR in p.staff_roles(organisation_id),
    "organisation.read_audit": lambda p, organisation_id: StaffRole.OPERATOR in p.staff_roles(organisation_id),
    "organisation.manage_programmes": lambda p, organisation_id: StaffRole.OPERATOR in p.staff_roles(organisation_id),
    "staff.list_communities": lambda p, _: bool(p.staff),
    "community.view": _community_rule(MEMBER_ROLES, ALL_STAFF),
    "community.view_members": _community_rule(MEMBER_ROLES, {StaffRole.FACILITATOR}),
    "community.invite_members": _community_rule({CommunityRole.COORDINATOR}, set()),
    "community.apply": _community_rule({CommunityRole.COORDINATOR}, set()),
    # Courses: operators build them; operators and facilitators mark attendance; members take part.
    "courses.manage": lambda p, organisation_id: StaffRole.OPERATOR in p.staff_roles(organisation_id),
    "courses.mark_attendance": lambda p, organisation_id: bool(
        p.staff_roles(organisation_id) & {StaffRole.OPERATOR, StaffRole.FACILITATOR}
    ),
    "courses.participate": _community_rule(MEMBER_ROLES, set()),
    # Consultations: who reaches a community's consultation pages. What each person sees of one
    # consultation (summary, notes, counts only) is decided by hromada.modules.consultations.access.
    "consultations.view": _community_rule({CommunityRole.COORDINATOR}, ALL_STAFF),
    "consultations.request": _community_rule({CommunityRole.COORDINATOR}, set()),
    "consultations.rate": _community_rule({CommunityRole.COORDINATOR}, set()),
    "consultations.schedule": _community_rule(set(), {StaffRole.OPERATOR, StaffRole.MENTOR, StaffRole.EXPERT}),
    "consultations.cancel": _community_rule(
        {CommunityRole.COORDINATOR}, {StaffRole.OPERATOR, StaffRole.MENTOR, StaffRole.EXPERT}
    ),
    "consultations.log": _community_rule(set(), {StaffRole.MENTOR, StaffRole.EXPERT}),
    "consultations.log_directly": _community_rule(set(), {StaffRole.MENTOR}),
    "consultations.notes": _community_rule(set(), {StaffRole.MENTOR, StaffRole.EXPERT, StaffRole.FACILITATOR}),
    "consultations.follow_ups": _community_rule(MEMBER_ROLES, ALL_STAFF),
    "consultations.staff_lists": lambda p, _: bool(p.staff),
    "consultations.manage_topics": lambda p, organisation_id: StaffRole.OPERATOR in p.staff_roles(organisation_id),
    "consultations.programme_kpis": lambda p, organisation_id: StaffRole.OPERATOR in p.staff_roles(organisation_id),
    "account.manage": lambda p, _: p.user_id is not None,
    "signed_in": lambda p, _: p.user_id is not None,
    # Networking events: operators plan them; operators and facilitators mark attendance; members register.
    "events.manage": lambda p, organisation_id: StaffRole.OPERATOR in p.staff_roles(organisation_id),
    "events.mark_attendance": lambda p, organisation_id: bool(
        p.staff_roles(organisation_id) & {StaffRole.OPERATOR, StaffRole.FACILITATOR}
    ),
    "events.register": _community_rule(MEMBER_ROLES, set()),
    # Progress: operators watch their programme's cohort, move communities on and assign staff.
    "progress.view_cohort": lambda p, organisation_id: StaffRole.OPERATOR in p.staff_roles(organisation_id),
    "progress.move_enrolments": lambda p, organisation_id: StaffRole.OPERATOR in p.staff_roles(organisation_id),
    "progress.assign_staff": lambda p, organisation_id: StaffRole.OPERATOR in p.staff_roles(organisation_id),
}


def can(action: str, target_id: int | None = None) -> bool:
    """May the current person do `action` to the object with id `target_id`? Unknown actions: no."""
    rule = RULES.get(action) or current_app.extensions["hromada.access_rules"].get(action)
    return bool(rule and rule(principal(), target_id))


# --- Declaring what a view needs ---------------------------------------------


def public(view):
    """Anyone, signed in or not, may open this view."""
    view.hromada_access = "public"
    return view


def requires(action: str, *, community: str | None = None, organisation: str | None = None):
    """The view needs `action`, on the community or organisation named by a URL argument.

    Signs-in first when nobody is signed in. An object the person may not reach
    is answered with 404, so its existence is not confirmed either.
    """

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            target = kwargs.get(community or organisation) if (community or organisation) else None
            if not can(action, target):
                abort(404 if target is not None and not _knows(target, community=bool(community)) else 403)
            if community:
                _enter_community(target, action)
            elif organisation:
                tenancy.set_organisation(target)
            return view(*args, **kwargs)

        guarded.hromada_access = action
        return guarded

    return decorate


def _knows(target_id: int, *, community: bool) -> bool:
    """Whether the person has any relation to the object (then a refusal is 403, else 404)."""
    p = principal()
    if community:
        return target_id in p.memberships or bool(p.reaches(target_id))
    return bool(p.staff_roles(target_id))


def _enter_community(community_id: int, action: str) -> None:
    p = principal()
    if community_id in p.memberships:
        tenancy.set_tenant(community_id)
        return
    # Staff reading a community they reach through their organisation: audited.
    from hromada.modules.audit.log import record

    tenancy.allow_reading({community_id})
    for organisation_id in p.reaches(community_id):
        record("staff.read_community", organisation_id=organisation_id, community_id=community_id,
               action_needed=action, path=request.path)
    db.session.commit()


def enforce_declared_access() -> None:
    """Before each request: refuse a view that declared neither @public nor @requires."""
    if request.endpoint is None or request.endpoint == "static":
        return
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "hromada_access", None) is None:
        abort(403)
