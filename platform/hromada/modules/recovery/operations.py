"""Issuing and using a one-time reset link. Nothing here commits: the caller commits, or nothing.

The link is /reset/<token>; its token is shown once to the person who issued it, who passes it on
out of band (the platform sends no e-mail). Using it sets a new password, ends every session of the
person and spends the link with a conditional UPDATE, so two uses racing each other cannot both pass.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import url_for
from sqlalchemy import select, update

from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import User
from hromada.modules.accounts.passwords import hash_password, store_hash
from hromada.modules.accounts.reach import belongs_elsewhere
from hromada.modules.accounts.sessions import end_all_sessions
from hromada.modules.audit.log import record
from hromada.modules.notifications.service import notify
from hromada.modules.recovery.models import PasswordReset
from hromada.tokens import token_hash

LIFETIME = timedelta(hours=48)

NOTICES = {
    "issued": _l("%(who)s made a link for you to set a new password. If you did not ask for it, tell your "
                 "organisation at once."),
    "used": _l("Your password was set again with a reset link, and you were signed out everywhere. If it was not "
               "you, tell your organisation at once."),
}


def refusal(person: User, *, organisation_id: int | None = None, community_id: int | None = None):
    """Why the issuer may not make a link for `person`, or None (see `accounts.reach`)."""
    if person.is_platform_admin or person.deleted_at is not None:
        return _l("This account is not recovered here.")
    if not belongs_elsewhere(person, organisation_id=organisation_id, community_id=community_id):
        return None
    if organisation_id is not None:
        return _l("They also belong to another organisation or to a community: a link would open those too.")
    return _l("They also belong to another community or to an organisation's staff: a link would open those "
              "too.")


def issue(person: User, *, by: User, organisation_id: int | None = None, community_id: int | None = None) -> str:
    """A new link for `person` (earlier unused ones stop working); its token, to show once."""
    moment = now()
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == person.id, PasswordReset.used_at.is_(None))
                       .values(used_at=moment).execution_options(synchronize_session=False))
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(token_hash=token_hash(token), user_id=person.id, issued_by_id=by.id,
                                 expires_at=moment + LIFETIME))
    db.session.flush()
    record("password_reset_issued", actor=by, organisation_id=organisation_id, community_id=community_id,
           person_id=person.id)
    _tell(person.id, "issued", who=by.name)
    return token


def open_link(token: str) -> PasswordReset | None:
    """The unused, unexpired link with this token, or None."""
    link = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if link is None or link.used_at is not None or as_utc(link.expires_at) <= now():
        return None
    return link


def use(link: PasswordReset, password: str) -> bool:
    """Spend the link and set the person's new password; False if it was spent (or expired) meanwhile."""
    moment = now()
    spent = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == link.id, PasswordReset.used_at.is_(None), PasswordReset.expires_at > moment)
        .values(used_at=moment).execution_options(synchronize_session=False)
    ).rowcount
    if spent != 1:
        return False
    person = db.session.get(User, link.user_id)
    store_hash(person, hash_password(password))
    end_all_sessions(person.id)
    record("password_reset_used", actor=person)
    _tell(person.id, "used")
    return True


def _tell(user_id: int, event: str, **params) -> None:
    notify([user_id], key=f"recovery.{event}.{secrets.token_hex(8)}", message=NOTICES[event], params=params,
           link=url_for("accounts.account"))
