"""What the action-plans module contributes to Hromada (hook implementations)."""

from __future__ import annotations

from hromada.hookspecs import hookimpl
from hromada.modules.action_plans.models import Action, ActionPlan, Milestone


@hookimpl
def hromada_models():
    return [ActionPlan, Milestone, Action]


@hookimpl
def hromada_blueprints():
    from hromada.modules.action_plans.blueprint import bp

    return [bp]


@hookimpl
def hromada_access_rules():
    from hromada.modules.action_plans.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.action_plans.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada.modules.action_plans.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)


@hookimpl
def hromada_export_tables():
    from hromada.contributions import ExportTable
    from hromada.modules.action_plans.models import Action, ActionPlan, Milestone

    return [ExportTable(ActionPlan), ExportTable(Milestone), ExportTable(Action)]
