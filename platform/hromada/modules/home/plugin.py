from hromada.contributions import NavItem
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l


@hookimpl
def hromada_blueprints():
    from hromada.modules.home.blueprint import bp

    return [bp]


@hookimpl
def hromada_navigation(user):
    return [NavItem(label=_l("Home"), endpoint="home.index", order=0)]
