"""A person's second factors (an authenticator app's TOTP, passkeys) and recovery codes.

A person's own rows: on PostgreSQL only a context signed for that person (or system work)
reads or writes them (migration fac0001). A TOTP secret is stored encrypted under the master
key (`secret_sealed`, hromada.modules.factors.totp), so a reader of the tables or of a dump
cannot compute anyone's codes; recovery codes are stored as Argon2 hashes.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from hromada.database import string_enum
from hromada.extensions import db


class FactorKind(str, enum.Enum):
    TOTP = "totp"
    PASSKEY = "passkey"


class SecondFactor(db.Model):
    """One second factor of a person: their authenticator app (one at most) or one of their passkeys."""

    __tablename__ = "second_factors"
    __data_version__ = False  # no cached page shows these rows (hromada.caching.versions)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FactorKind] = mapped_column(string_enum(FactorKind))
    label: Mapped[str] = mapped_column(String(60), default="")
    # TOTP: the secret, sealed under the master key it names; the last time step accepted (no replay).
    secret_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    master_key_id: Mapped[str | None] = mapped_column(String(16))
    last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Passkey: the credential's id and public key (COSE), and its signature counter.
    credential_id: Mapped[bytes | None] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RecoveryCode(db.Model):
    """One of a person's ten single-use recovery codes: its first group names it (`code_id`, so that one
    Argon2 hash is checked, not ten), the whole code is kept as an Argon2 hash."""

    __tablename__ = "recovery_codes"
    __data_version__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_id: Mapped[str] = mapped_column(String(8))
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
