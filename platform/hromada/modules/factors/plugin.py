"""What the second factors module contributes: tables, pages, the staff guard, labels, test arguments."""

from __future__ import annotations

from hromada.hookspecs import hookimpl
from hromada.modules.factors.models import RecoveryCode, SecondFactor


@hookimpl
def hromada_models():
    return [SecondFactor, RecoveryCode]


@hookimpl
def hromada_blueprints():
    from hromada.modules.factors.blueprint import bp

    return [bp]


@hookimpl
def hromada_app_ready(app):
    from hromada.modules.factors.guard import require_second_factor
    from hromada.modules.factors.signing_in import second_step

    # The accounts module asks, after a right password, whether a second step follows (it imports no
    # module built on it), and every request passes the staff guard.
    app.extensions["hromada.second_factor_step"] = second_step
    # Ending one's other sessions asks for the password unless a factor was confirmed lately.
    from hromada.modules.factors.state import verified_recently

    app.extensions["hromada.recent_factor"] = verified_recently
    app.before_request(require_second_factor)


@hookimpl
def hromada_access_rules():
    from hromada.modules.factors.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.factors.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_cli_commands():
    from hromada.modules.factors.cli import factors_group

    return [factors_group]


@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada.modules.factors.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)
