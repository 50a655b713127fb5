"""What the health module contributes to Hromada (hook implementations)."""

from hromada.hookspecs import hookimpl


@hookimpl
def hromada_blueprints():
    from hromada.modules.health.blueprint import bp

    return [bp]
