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
from functools import wraps
from typing import Iterable

from flask import abort, current_app, g, request
from flask_login import current_user

from hromada import tenancy
from hromada.extensions import db
from hromada.roles import CommunityRole, StaffRole


@dataclass
class Principal:
    """What the signed-in person is, loaded once per request."""

    user_id: int | None = None
    is_admin: bool = False
    staff: dict[int, set[StaffRole]] = field(default_factory=dict)
    memberships: dict[int, CommunityRole] = field(default_factory=dict)
    _reach: dict[int, dict[int, set[StaffRole]]] | None = None
    _reach_of: dict[int, dict[int, set[StaffRole]]] = field(default_factory=dict)  # one community at a time

    def staff_roles(self, organisation_id: int) -> set[StaffRole]:
        return self.staff.get(organisation_id, set())

    def operates(self, organisation_id: int) -> bool:
        """Whether the person runs the organisation: an operator reaches every community enrolled in it, so a
        page reads its data by the organisation, not through the list `staff_reach` makes of them."""
        return StaffRole.OPERATOR in self.staff_roles(organisation_id)

    def staff_reach(self) -> dict[int, dict[int, set[StaffRole]]]:
        """community id -> {organisation id -> roles that reach it}, for this person as staff."""
        if self._reach is None:
            self._reach = _staff_reach(self)
        return self._reach

    def reaches(self, community_id: int) -> dict[int, set[StaffRole]]:
        """{organisation id -> roles} through which this person reaches the community, as staff.

        Read for that community alone (an operator of 20,000 communities need not list them all to open
        one), unless the whole reach was read already.
        """
        if not self.staff:
            return {}
        if self._reach is not None:
            return self._reach.get(community_id, {})
        if community_id not in self._reach_of:
            self._reach_of[community_id] = _staff_reach(self, community_id).get(community_id, {})
        return self._reach_of[community_id]


def _staff_reach(principal: Principal, community_id: int | None = None) -> dict[int, dict[int, set[StaffRole]]]:
    # The communities module knows enrolments and assignments: it registers how to read them.
    return current_app.extensions["hromada.staff_reach"](principal, community_id)


def principal() -> Principal:
    if "hromada_principal" not in g:
        g.hromada_principal = _load_principal()
    return g.hromada_principal


def _load_principal() -> Principal:
    if not current_user.is_authenticated:
        return Principal()
    user_id = current_user.id
    staff: dict[int, set[StaffRole]] = {}
    memberships: dict[int, CommunityRole] = {}
    # The accounts module knows memberships: it registers how to read a person's roles.
    for is_staff, target_id, role in current_app.extensions["hromada.roles_of"](user_id):
        if is_staff:
            staff.setdefault(target_id, set()).add(StaffRole(role))
        else:
            memberships[target_id] = CommunityRole(role)
    return Principal(user_id=user_id, is_admin=current_user.is_platform_admin, staff=staff, memberships=memberships)


# --- Building rules -------------------------------------------------------------
# Each module contributes its own rules through `hromada_access_rules`, as plugins do;
# these helpers say the common shapes once.

MEMBER_ROLES = frozenset({CommunityRole.COORDINATOR, CommunityRole.MEMBER})
ALL_STAFF = frozenset(StaffRole)


def community_rule(member_roles: Iterable[CommunityRole], staff_roles: Iterable[StaffRole]):
    """A check on a community: its members in `member_roles`, or staff whose role reaches it."""
    member_roles, staff_roles = frozenset(member_roles), frozenset(staff_roles)

    def rule(p: Principal, community_id: int | None) -> bool:
        if community_id is None:
            return False
        if p.memberships.get(community_id) in member_roles:
            return True
        return any(roles & staff_roles for roles in p.reaches(community_id).values())

    return rule


def organisation_rule(staff_roles: Iterable[StaffRole]):
    """A check on an organisation: its staff holding one of `staff_roles`."""
    staff_roles = frozenset(staff_roles)
    return lambda p, organisation_id: bool(p.staff_roles(organisation_id) & staff_roles)


def is_staff(p: Principal, _target_id: int | None = None) -> bool:
    """Staff of any organisation (their pages then list only what they reach)."""
    return bool(p.staff)


def is_signed_in(p: Principal, _target_id: int | None = None) -> bool:
    return p.user_id is not None


def is_platform_admin(p: Principal, _target_id: int | None = None) -> bool:
    return p.is_admin


def can(action: str, target_id: int | None = None) -> bool:
    """May the current person do `action` to the object with id `target_id`? Unknown actions: no."""
    rule = current_app.extensions["hromada.access_rules"].get(action)
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
            elif current_app.extensions["hromada.access_rules"].get(action) is is_platform_admin:
                # The platform admin's pages read across organisations (the whole audit log): the
                # database needs to be told so, signed like the rest of the context.
                tenancy.act_as_platform_admin()
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
    # Staff reading a community they reach through their organisation: audited (the audit module
    # registers how it records).
    record = current_app.extensions["hromada.audit_record"]
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
