"""Changing a person's second factors: each change audited, notified to the person, other sessions ended.

Nothing here commits: the caller commits the change with its audit entry and notice, or nothing.
"""

from __future__ import annotations

import secrets

from flask import url_for
from sqlalchemy import delete, func, select

from hromada.clock import now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.sessions import current_session_id, end_all_sessions, end_other_sessions
from hromada.modules.audit.log import record
from hromada.modules.factors import recovery, totp
from hromada.modules.factors.models import FactorKind, RecoveryCode, SecondFactor
from hromada.modules.notifications.service import notify

NOTICES = {
    "factor_added": _l("A second factor was added to your account. If it was not you, tell your organisation at once."),
    "factor_removed": _l("A second factor was removed from your account. If it was not you, tell your organisation "
                         "at once."),
    "recovery_code_used": _l("A recovery code was used to sign in to your account. If it was not you, tell your "
                             "organisation at once."),
    "recovery_codes_replaced": _l("New recovery codes were made for your account; the old ones no longer work."),
    "factors_reset": _l("Your second factors were reset by %(who)s. Set up a new one when you next sign in."),
    "factors_reset_by_administrator": _l("Your second factors were reset by the platform's administrator. Set up "
                                         "a new one when you next sign in."),
}


def tell(user_id: int, event: str, **params) -> None:
    # A key of its own per event: every change is told, not only the first.
    notify([user_id], key=f"factors.{event}.{secrets.token_hex(8)}", message=NOTICES[event], params=params,
           link=url_for("factors.index"))


def _end_others(user) -> None:
    """A factor changed: the person's other sessions end (this one stays)."""
    end_other_sessions(user.id, keep_id=current_session_id(user))


def add_totp(user, secret: str, label: str = "") -> SecondFactor:
    """The person's authenticator app (replacing an earlier one), once they typed a code of it."""
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id,
                                                  SecondFactor.kind == FactorKind.TOTP)
                       .execution_options(synchronize_session=False))
    factor = SecondFactor(user_id=user.id, kind=FactorKind.TOTP, label=label, sign_count=0)
    totp.seal_secret(factor, secret)
    db.session.add(factor)
    db.session.flush()
    record("factor_added", actor=user, kind=FactorKind.TOTP.value)
    tell(user.id, "factor_added")
    _end_others(user)
    return factor


def add_passkey(user, credential_id: bytes, public_key: bytes, sign_count: int, label: str) -> SecondFactor:
    factor = SecondFactor(user_id=user.id, kind=FactorKind.PASSKEY, label=label, credential_id=credential_id,
                          public_key=public_key, sign_count=sign_count)
    db.session.add(factor)
    db.session.flush()
    record("factor_added", actor=user, kind=FactorKind.PASSKEY.value)
    tell(user.id, "factor_added")
    _end_others(user)
    return factor


def remove_factor(user, factor: SecondFactor) -> None:
    kind = factor.kind.value
    db.session.execute(delete(SecondFactor).where(SecondFactor.id == factor.id, SecondFactor.user_id == user.id)
                       .execution_options(synchronize_session=False))
    if not db.session.query(SecondFactor.id).filter(SecondFactor.user_id == user.id).first():
        # No factor left: recovery codes recover nothing.
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id)
                           .execution_options(synchronize_session=False))
    record("factor_removed", actor=user, kind=kind)
    tell(user.id, "factor_removed")
    _end_others(user)


def new_recovery_codes(user) -> list[str]:
    codes = recovery.replace_codes(user.id)
    record("recovery_codes_replaced", actor=user)
    tell(user.id, "recovery_codes_replaced")
    return codes


def recovery_code_used(user) -> None:
    record("recovery_code_used", actor=user, remaining=recovery.remaining(user.id))
    tell(user.id, "recovery_code_used")


def reset_factors(person, *, by, organisation_id: int | None = None, community_id: int | None = None) -> int:
    """Remove every second factor and recovery code of `person`, for their operator or coordinator `by`
    (checked by the caller, and again by the database); their sessions end, so they set up a new factor
    at their next sign-in."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Not the caller's rows: a definer function deletes them once it has checked the signed context.
        removed = db.session.scalar(select(func.hromada_reset_second_factors(person.id)))
    else:
        removed = _remove_all(person.id)
    end_all_sessions(person.id)
    record("factors_reset", actor=by, organisation_id=organisation_id, community_id=community_id,
           person_id=person.id, removed=removed)
    tell(person.id, "factors_reset", who=by.name)
    return removed


def reset_by_administrator(person, *, link: str) -> int:
    """`flask factors reset`: the platform's administrator, on the command line (system work), resets the
    factors of a person no operator or coordinator may reset alone (in several places, or the admin).
    `link`: the factors page, made by the caller (a command has no request to build it from)."""
    removed = _remove_all(person.id)
    end_all_sessions(person.id)
    record("factors_reset", actor=None, person_id=person.id, removed=removed)
    notify([person.id], key=f"factors.factors_reset_by_administrator.{secrets.token_hex(8)}",
           message=NOTICES["factors_reset_by_administrator"], params={}, link=link)
    return removed


def _remove_all(person_id: int) -> int:
    removed = db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == person_id)
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == person_id)
                       .execution_options(synchronize_session=False))
    return removed


def touch(factor: SecondFactor) -> None:
    factor.last_used_at = now()
