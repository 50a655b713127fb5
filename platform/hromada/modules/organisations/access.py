"""Who may administer the platform and an organisation (hromada_access_rules)."""

from hromada.authz import is_platform_admin, is_staff, organisation_rule
from hromada.contributions import AccessRule
from hromada.modules.accounts.models import StaffRole

OPERATORS = organisation_rule({StaffRole.OPERATOR})

ACCESS_RULES = [
    AccessRule("platform.administer", is_platform_admin),
    AccessRule("platform.read_audit", is_platform_admin),
    AccessRule("organisation.manage_staff", OPERATORS),
    AccessRule("organisation.read_audit", OPERATORS),
    AccessRule("staff.list_communities", is_staff),
]
