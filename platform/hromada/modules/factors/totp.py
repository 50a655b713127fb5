"""Authenticator apps (TOTP, RFC 6238, with pyotp): secrets sealed at rest, codes never accepted twice.

The secret is sealed under the master key (the confidential module's keyring) with the person's id
as associated data: a reader of the tables, or of a dump, holds only ciphertext, and a sealed secret
copied onto another person's row does not open. The QR code is drawn here, as inline SVG (segno):
no image of the secret ever leaves the server or reaches another host.

Replay: the time step of the last accepted code is stored, and a code is accepted only for a later
step, by one conditional UPDATE, so two requests racing with the same code cannot both pass.
"""

from __future__ import annotations

import re
from datetime import datetime

import pyotp
import segno
from sqlalchemy import or_, update

from hromada.extensions import db
from hromada.modules.confidential.keys import keyring
from hromada.modules.factors.models import SecondFactor

ISSUER = "Hromada"
DIGITS = 6
INTERVAL = 30
# A code of the step before or after the server's is accepted too: phones' clocks drift.
DRIFT_STEPS = 1
_NOT_DIGITS = re.compile(r"[\s-]")


def new_secret() -> str:
    """160 random bits in base32 (RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def _associated_data(user_id: int) -> bytes:
    return b"hromada totp secret\x00" + str(int(user_id)).encode("ascii")


def seal_secret(factor: SecondFactor, secret: str) -> None:
    factor.secret_sealed, factor.master_key_id = keyring().seal_under_master(
        secret.encode("ascii"), _associated_data(factor.user_id))


def open_secret(factor: SecondFactor) -> str:
    return keyring().open_under_master(factor.secret_sealed, factor.master_key_id,
                                       _associated_data(factor.user_id)).decode("ascii")


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as an inline <svg> element (no XML declaration), with a text alternative."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2, title=None, svgclass="qr-code", lineclass=None)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it by hand into an app."""
    return " ".join(secret[index:index + 4] for index in range(0, len(secret), 4))


def normalised(code: str | None) -> str | None:
    """Six digits, spaces and dashes ignored; None for anything else."""
    digits = _NOT_DIGITS.sub("", code or "")
    return digits if len(digits) == DIGITS and digits.isascii() and digits.isdigit() else None


def matching_step(secret: str, code: str | None, moment: datetime) -> int | None:
    """The time step whose code `code` is, near `moment`; None when it is none of them."""
    digits = normalised(code)
    if digits is None:
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    current = totp.timecode(moment)
    for step in (current, current - DRIFT_STEPS, current + DRIFT_STEPS):
        if pyotp.utils.strings_equal(totp.generate_otp(step), digits):
            return step
    return None


def accept(factor: SecondFactor, code: str | None, moment: datetime) -> bool:
    """Whether `code` is a code of this factor not used before; the step is then spent."""
    step = matching_step(open_secret(factor), code, moment)
    if step is None:
        return False
    spent = db.session.execute(
        update(SecondFactor)
        .where(SecondFactor.id == factor.id, or_(SecondFactor.last_step.is_(None), SecondFactor.last_step < step))
        .values(last_step=step, last_used_at=moment)
        .execution_options(synchronize_session=False)
    ).rowcount
    return spent == 1
