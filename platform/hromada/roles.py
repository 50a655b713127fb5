"""The roles people hold: for an operator organisation (staff) and in a community.

Their own module, depending on nothing, so that the one access policy (`hromada.authz`)
and every module can name them without importing one another.
"""

from __future__ import annotations

import enum


class StaffRole(str, enum.Enum):
    """What a person does for an operator organisation."""

    OPERATOR = "operator"
    MENTOR = "mentor"
    EXPERT = "expert"
    FACILITATOR = "facilitator"


class CommunityRole(str, enum.Enum):
    COORDINATOR = "coordinator"
    MEMBER = "member"
