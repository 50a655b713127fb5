"""Progress: operators watch their programme's cohort, move communities on and assign staff."""

from hromada.authz import organisation_rule
from hromada.contributions import AccessRule
from hromada.modules.accounts.models import StaffRole

OPERATORS = organisation_rule({StaffRole.OPERATOR})

ACCESS_RULES = [
    AccessRule("progress.view_cohort", OPERATORS),
    AccessRule("progress.move_enrolments", OPERATORS),
    AccessRule("progress.assign_staff", OPERATORS),
]
