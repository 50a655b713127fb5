"""Recovery codes: ten single-use codes, shown once, stored as Argon2 hashes like passwords.

A code is three groups of four characters from an alphabet without look-alikes (60 random bits):
typed from paper, with or without its dashes, in either case. Its first group names it, so that a typed
code is checked against one Argon2 hash, not ten (each costs as much as checking a password); the whole
code is hashed, so a copy of the table still leaves 40 unknown bits per code behind Argon2.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, select, update

from hromada.extensions import db
from hromada.modules.accounts.passwords import hasher, verify_password
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
    codes: list[str] = []
    while len(codes) < COUNT:
        code = _new_code()
        if code[:GROUP_LENGTH] not in {known[:GROUP_LENGTH] for known in codes}:  # each names one row
            codes.append(code)
    current = hasher()
    db.session.add_all(RecoveryCode(user_id=user_id, code_id=code[:GROUP_LENGTH], code_hash=current.hash(code))
                       for code in codes)
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
    row = db.session.execute(select(RecoveryCode.id, RecoveryCode.code_hash).where(
        RecoveryCode.user_id == user_id, RecoveryCode.code_id == typed[:GROUP_LENGTH],
        RecoveryCode.used_at.is_(None))).first()
    # A code naming no row costs one hash too (a dummy's), as a wrong password does.
    if not verify_password(row.code_hash if row else None, typed):
        return False
    # Conditional: two requests racing with the same code cannot both spend it.
    return db.session.execute(
        update(RecoveryCode).where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
        .values(used_at=moment).execution_options(synchronize_session=False)
    ).rowcount == 1
