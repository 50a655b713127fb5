from hromada.contributions import NavItem
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l
from hromada.modules.notifications.models import Notification


@hookimpl
def hromada_models():
    return [Notification]


@hookimpl
def hromada_blueprints():
    from hromada.modules.notifications.blueprint import bp

    return [bp]


@hookimpl
def hromada_navigation(user):
    if user is not None and user.is_authenticated:
        return [NavItem(label=_l("Notifications"), endpoint="notifications.index", order=85)]
    return []
