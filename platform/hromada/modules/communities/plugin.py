from hromada.contributions import NavItem
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l
from hromada.modules.communities.models import Community, Enrolment, StaffAssignment


@hookimpl
def hromada_models():
    return [Community, Enrolment, StaffAssignment]


@hookimpl
def hromada_blueprints():
    from hromada.modules.communities.blueprint import bp

    return [bp]


@hookimpl
def hromada_navigation(user):
    from hromada import authz

    if user is not None and user.is_authenticated and authz.principal().memberships:
        return [NavItem(label=_l("My communities"), endpoint="communities.my_communities", order=10)]
    return []


@hookimpl
def hromada_access_rules():
    from hromada.modules.communities.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.communities.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_app_ready(app):
    from hromada.modules.communities.reach import staff_reach

    app.extensions["hromada.staff_reach"] = staff_reach  # the access policy asks it whom staff reach


@hookimpl
def hromada_export_tables():
    from hromada.contributions import ExportTable
    from hromada.modules.communities.models import Enrolment, StaffAssignment

    # data_version is the pages' cache key, nothing the community made.
    return [ExportTable(Enrolment, leave_out=("data_version",)), ExportTable(StaffAssignment)]
