"""The one form in which a secret token (of a sign-in session or an invitation link) is kept: its SHA-256.

Here rather than in the accounts module: the page cache keys kept pages by the sign-in
session, and the modules build on the cache, not the other way round.
"""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
