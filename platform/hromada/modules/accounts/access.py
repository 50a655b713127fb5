"""What every signed-in person may do (hromada_access_rules)."""

from hromada.authz import is_signed_in
from hromada.contributions import AccessRule

ACCESS_RULES = [
    AccessRule("account.manage", is_signed_in),
    AccessRule("signed_in", is_signed_in),
]
