"""Recovery codes: ten single-use codes, shown once, stored as Argon2 hashes like passwords.

A code is three groups of four characters from an alphabet without look-alikes (60 random bits):
typed from paper, with or without its dashes, in either case.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update

from hromada.extensions import db
from hromada.modules.accounts.passwords import hasher
from hromada.modules.factors.models import RecoveryCode

COUNT = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
GROUPS, GROUP_LENGTH = 3, 4
_LENGTH = GROUPS * GROUP_LENGTH


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(_LENGTH))
    return "-".join(raw[index:index + GROUP_LENGTH] for index in range(0, _LENGTH, GROUP_LENGTH))


def normalised(code: str | None) -> str | None:
    raw = "".join(character for character in (code or "").lower() if character not in " -")
    if len(raw) != _LENGTH or any(character not in ALPHABET for character in raw):
        return None
    return "-".join(raw[index:index + GROUP_LENGTH] for index in range(0, _LENGTH, GROUP_LENGTH))


def replace_codes(user_id: int) -> list[str]:
    """Ten new codes for the person, instead of any they had; the codes themselves, to show once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id)
                       .execution_options(synchronize_session=False))
    codes = [_new_code() for _ in range(COUNT)]
    current = hasher()
    db.session.add_all(RecoveryCode(user_id=user_id, code_hash=current.hash(code)) for code in codes)
    db.session.flush()
    return codes


def remaining(user_id: int) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user_id,
                                                                RecoveryCode.used_at.is_(None))).all())


def use(user_id: int, code: str | None, moment: datetime) -> bool:
    """Spend the person's unused code `code`; False when it is not one (or was used already)."""
    typed = normalised(code)
    if typed is None:
        return False
    current = hasher()
    rows = db.session.execute(select(RecoveryCode.id, RecoveryCode.code_hash)
                              .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))).all()
    for row_id, code_hash in rows:
        try:
            current.verify(code_hash, typed)
        except (VerificationError, InvalidHashError):
            continue
        # Conditional: two requests racing with the same code cannot both spend it.
        return db.session.execute(
            update(RecoveryCode).where(RecoveryCode.id == row_id, RecoveryCode.used_at.is_(None))
            .values(used_at=moment).execution_options(synchronize_session=False)
        ).rowcount == 1
    return False
