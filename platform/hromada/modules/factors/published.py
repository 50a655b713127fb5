"""Second factors with a published secret: the demo's staff accounts, scale data and the test suite.

Never for a real account: anyone who reads this file computes the codes. `make run` prints the
secret beside the demo password, with how to get a code without a phone.
"""

from __future__ import annotations

from sqlalchemy import select

from hromada.extensions import db
from hromada.modules.factors import totp
from hromada.modules.factors.models import FactorKind, SecondFactor

DEMO_TOTP_SECRET = "HROMADADEMOSECRETFORSTAFFONLY234"


def totp_row(user_id: int, secret: str = DEMO_TOTP_SECRET) -> dict:
    """The values of a TOTP factor of `secret` for the person, sealed as any other (for bulk inserts)."""
    factor = SecondFactor(user_id=user_id)
    totp.seal_secret(factor, secret)
    return {"user_id": user_id, "kind": FactorKind.TOTP, "label": "", "secret_sealed": factor.secret_sealed,
            "master_key_id": factor.master_key_id, "sign_count": 0}


def ensure_totp(user_id: int, secret: str = DEMO_TOTP_SECRET) -> None:
    """Give the person a TOTP factor of `secret` unless they have one (system work: demo and tests)."""
    if db.session.scalar(select(SecondFactor.id).where(SecondFactor.user_id == user_id,
                                                       SecondFactor.kind == FactorKind.TOTP)) is None:
        db.session.add(SecondFactor(**totp_row(user_id, secret)))
        db.session.flush()


def code_command_hint(secret: str = DEMO_TOTP_SECRET) -> str:
    return f"python -c \"import pyotp; print(pyotp.TOTP('{secret}').now())\""
