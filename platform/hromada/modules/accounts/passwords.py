"""Password hashing with Argon2id (argon2-cffi's defaults follow RFC 9106), and where hashes are kept.

On PostgreSQL the app's role cannot read a password hash (migration core0009): hashes live in
`hromada_private.password_hashes`, and `users.password_hash` is always '' there. The function
`hromada_password_hash(person)` runs as the owner and hands a hash out only to a context, signed by
the app, that names that person as `credential_user`; the app sets that for the one statement of
`stored_hash`, so SQL slipped into any other statement reads no hash at all. Writing a hash into
`users.password_hash` stores it privately (a trigger), and replacing a person's hash needs the
same signed context (`store_hash`). On SQLite, which has no roles, the column holds the hash.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from sqlalchemy import bindparam, func, select

from hromada import tenancy
from hromada.extensions import db

MIN_LENGTH = 12
MAX_LENGTH = 256

# "default" is RFC 9106's low-memory profile; "fast" exists for the test suite only.
PROFILES = {"default": profiles.RFC_9106_LOW_MEMORY, "fast": profiles.CHEAPEST}


@cache
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(PROFILES[profile])


def hasher() -> PasswordHasher:
    profile = current_app.config.get("HROMADA_PASSWORD_PROFILE", "default") if has_app_context() else "default"
    return _hasher(profile)


@cache
def _dummy_hash(profile_hasher: PasswordHasher) -> str:
    # Verified when the account does not exist, so a wrong handle takes as long as a wrong password.
    return profile_hasher.hash("a password nobody has, for timing")


# zxcvbn's score: 0 and 1 are guessed in under a million tries (a common word and a year, a keyboard row).
MIN_STRENGTH = 2


def is_guessable(password: str, *, known: list[str] = ()) -> bool:
    """Blank, one character repeated, or common (zxcvbn, an offline estimator): refused, whatever its length.

    `known` are words of the person's own (their handle) that make a password easy to guess for them.
    No composition rules (ASVS 2.1.9): a long passphrase of ordinary words passes.
    """
    stripped = password.strip()
    if not stripped or len(set(stripped)) == 1:
        return True
    from zxcvbn import zxcvbn  # its dictionaries load on first use: only setting a password pays for it

    return zxcvbn(password[:72], user_inputs=[word for word in known if word])["score"] < MIN_STRENGTH


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    current = hasher()
    try:
        return current.verify(password_hash or _dummy_hash(current), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


@cache
def _stored_hash_statement():
    return select(func.hromada_password_hash(bindparam("person")))


def stored_hash(user) -> str:
    """The hash of `user`'s password, to check one they typed; "" when they have none."""
    if db.session.get_bind().dialect.name != "postgresql":
        return user.password_hash
    with tenancy.scope(credential_user=user.id):
        return db.session.scalar(_stored_hash_statement(), {"person": user.id}) or ""


def store_hash(user, password_hash: str) -> None:
    """Replace `user`'s password hash (a new password, or a rehash at sign-in), within this transaction."""
    with tenancy.scope(credential_user=user.id):
        user.password_hash = password_hash
        db.session.flush()
