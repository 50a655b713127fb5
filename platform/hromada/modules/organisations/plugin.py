from hromada.contributions import NavItem
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l
from hromada.modules.organisations.models import Organisation


@hookimpl
def hromada_models():
    return [Organisation]


@hookimpl
def hromada_blueprints():
    from hromada.modules.organisations.blueprint import bp

    return [bp]


@hookimpl
def hromada_navigation(user):
    from hromada import authz

    if user is None or not user.is_authenticated:
        return []
    items = []
    if authz.can("staff.list_communities"):
        items.append(NavItem(label=_l("Communities I support"), endpoint="progress.staff_communities", order=20))
    # Where an operator invites mentors, experts and facilitators (and, from there, reads the audit log).
    for organisation_id in sorted(authz.principal().staff):
        if authz.can("organisation.manage_staff", organisation_id):
            items.append(NavItem(label=_l("Staff"), endpoint="organisations.staff", order=25,
                                 values={"organisation_id": organisation_id}))
    if authz.can("platform.administer"):
        items.append(NavItem(label=_l("Administration"), endpoint="organisations.admin_organisations", order=80))
    return items


@hookimpl
def hromada_access_rules():
    from hromada.modules.organisations.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.organisations.labels import AUDIT_LABELS

    return AUDIT_LABELS
