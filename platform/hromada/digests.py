"""A keyed digest, for values that must be compared but never read back: addresses, logins.

The rate limiter keeps its counts under keys and logs a breached limit with its key;
the device cookie names the accounts signed in with it. A plain hash of an address or a
handle is undone by trying every address or a list of handles, so the digest is keyed
with the app's secret, the same in every process.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def keyed_digest(value: str) -> str:
    secret = current_app.secret_key
    key = secret if isinstance(secret, bytes) else str(secret).encode()
    return hmac.new(key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]
