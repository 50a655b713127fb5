"""Creating a community together with its first coordinator.

Used when a person signs up from an open programme call: nobody invites them,
and the new community is a new tenant that they coordinate.
"""

from __future__ import annotations

from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, User
from hromada.modules.accounts.passwords import hash_password
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community


def create_community_with_coordinator(
    *, community_name: str, handle: str, password: str, email: str | None = None, language: str | None = None
) -> tuple[Community, User]:
    """Create the person, the community (now the current tenant) and the membership; not committed.

    The caller checks that the handle and e-mail are free, commits, and starts the session.
    """
    user = User(handle=handle.strip().lower(), email=(email or "").strip().lower() or None,
                password_hash=hash_password(password), language=language)
    db.session.add(user)
    db.session.flush()
    community = Community.create(community_name.strip())
    db.session.add(CommunityMembership(user_id=user.id, role=CommunityRole.COORDINATOR))
    record("community_created", actor=user, community_id=community.id)
    return community, user
