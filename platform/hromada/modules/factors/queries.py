"""Reading a person's factors (in a context that may: theirs, or their sign-in's credential context)."""

from __future__ import annotations

from sqlalchemy import exists, select

from hromada.extensions import db
from hromada.modules.factors.models import FactorKind, SecondFactor


def factors_of(user_id: int) -> list[SecondFactor]:
    return list(db.session.scalars(select(SecondFactor).where(SecondFactor.user_id == user_id)
                                   .order_by(SecondFactor.kind, SecondFactor.id)))


def has_factor(user_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(SecondFactor.user_id == user_id))))


def totp_of(user_id: int) -> SecondFactor | None:
    return db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user_id,
                                                        SecondFactor.kind == FactorKind.TOTP))


def passkeys_of(user_id: int) -> list[SecondFactor]:
    return [factor for factor in factors_of(user_id) if factor.kind == FactorKind.PASSKEY]
