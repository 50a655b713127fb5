"""Navigation entries of the programmes module, for whoever is signed in (or not)."""

from __future__ import annotations

from sqlalchemy import select

from hromada import authz, tenancy
from hromada.contributions import NavItem
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import CommunityRole, StaffRole
from hromada.modules.communities.models import Community
from hromada.modules.organisations.models import Organisation


def entries_for(user) -> list[NavItem]:
    if user is None or not user.is_authenticated:
        return [NavItem(label=_l("Open calls"), endpoint="programmes.open_calls", order=30)]
    principal = authz.principal()
    items = []
    operated = sorted(org for org, roles in principal.staff.items() if StaffRole.OPERATOR in roles)
    if len(operated) == 1:
        items.append(NavItem(label=_l("Programmes"), endpoint="programmes.index", order=25,
                             values={"organisation_id": operated[0]}))
    elif operated:
        names = dict(db.session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(operated))).all())
        items += [
            NavItem(label=_l("Programmes: %(organisation)s", organisation=names.get(org, "")),
                    endpoint="programmes.index", order=25, values={"organisation_id": org})
            for org in operated
        ]
    coordinated = sorted(c for c, role in principal.memberships.items() if role == CommunityRole.COORDINATOR)
    if len(coordinated) == 1:
        items.append(NavItem(label=_l("Applications"), endpoint="programmes.community_applications", order=12,
                             values={"community_id": coordinated[0]}))
    elif coordinated:
        # A person reads the names of the communities they belong to, and no others.
        with tenancy.scope(reader_tenants=frozenset(coordinated)):
            names = dict(db.session.execute(select(Community.id, Community.name).where(Community.id.in_(coordinated))).all())
        items += [
            NavItem(label=_l("Applications: %(community)s", community=names.get(community, "")),
                    endpoint="programmes.community_applications", order=12, values={"community_id": community})
            for community in coordinated
        ]
    if not principal.staff:
        items.append(NavItem(label=_l("Open calls"), endpoint="programmes.open_calls", order=30))
    return items
