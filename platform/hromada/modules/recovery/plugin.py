"""What the reset links module contributes: its table, pages, access rules and audit labels."""

from __future__ import annotations

from hromada.hookspecs import hookimpl
from hromada.modules.recovery.models import PasswordReset


@hookimpl
def hromada_models():
    return [PasswordReset]


@hookimpl
def hromada_blueprints():
    from hromada.modules.recovery.blueprint import bp

    return [bp]


@hookimpl
def hromada_access_rules():
    from hromada.modules.recovery.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.recovery.labels import AUDIT_LABELS

    return AUDIT_LABELS
