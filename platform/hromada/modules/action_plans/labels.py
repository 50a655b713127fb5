"""The translatable names of the action-plans module: statuses and audit actions."""

from hromada.i18n import lazy_gettext as _l
from hromada.modules.action_plans.models import ActionStatus

STATUS_LABELS = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.DROPPED: _l("Dropped"),
}

AUDIT_LABELS = {
    "action_plans.plan_created": _l("Action plan created"),
    "action_plans.milestone_added": _l("Milestone added to an action plan"),
    "action_plans.milestone_changed": _l("Milestone of an action plan changed"),
    "action_plans.action_added": _l("Action added to an action plan"),
    "action_plans.action_changed": _l("Action of an action plan changed"),
}
