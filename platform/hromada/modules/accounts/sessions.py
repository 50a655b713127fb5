"""Server-side sessions on top of Flask-Login.

The cookie (signed by Flask) carries a random session token; the server keeps
its SHA-256 in `user_sessions` with the times that decide idle and absolute
expiry. Signing out deletes the row, so a copied cookie is useless afterwards,
on every web process.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import lru_cache

from flask import current_app, g, has_request_context, request, session
from flask_login import LoginManager, login_user, logout_user
from sqlalchemy import bindparam, delete, select, update

from hromada import tenancy
from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import User, UserSession
from hromada.modules.accounts.roles_of import read_with_session, roles_union
from hromada.tokens import token_hash

login_manager = LoginManager()
login_manager.login_view = "accounts.sign_in"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
# Touch the session row at most once a minute, not on every request.
LAST_SEEN_PRECISION = timedelta(minutes=1)


# In the cookie (signed like the rest of it): whose session it is, set when the session starts.
SESSION_USER = "hromada_user"


@lru_cache(maxsize=1)
def _session_statement():
    """The session, its user and the user's roles in one query: every signed-in request starts here.

    One row per role (a single row with no role for a person who holds none). Row-level security
    shows a person's community memberships only to a context of that person, which is signed
    (hromada.tenancy.signing) and so cannot be set inside this statement: `load_user` sets the
    person the cookie names before it runs, and keeps the roles only when the session proves them.
    Built once (a statement is immutable): building it took longer than running it.
    """
    # The roles of the person the cookie names; they join only if the session is that person's.
    roles = roles_union(bindparam("claimed_user")).subquery("roles")
    return (select(User, UserSession.id, UserSession.created_at, UserSession.last_seen_at,
                   roles.c.is_staff, roles.c.target_id, roles.c.role)
            .select_from(UserSession)
            .join(User, User.id == UserSession.user_id)
            .outerjoin(roles, roles.c.user_id == User.id)
            .where(UserSession.token_hash == bindparam("token_hash")))


@login_manager.user_loader
def load_user(token: str) -> User | None:
    claimed = session.get(SESSION_USER) if has_request_context() else None
    if type(claimed) is int:
        tenancy.set_user(claimed)  # only for the statement below: undone unless the session proves it
    rows = db.session.execute(_session_statement(), {"token_hash": token_hash(token),
                                                     "claimed_user": claimed if type(claimed) is int else None}).all()
    user = _proven_user(rows)
    if user is None:
        tenancy.set_user(None)
        return None
    if user.id == claimed:
        read_with_session(user.id, [(row.is_staff, row.target_id, row.role) for row in rows if row.role is not None])
    else:
        # A cookie from before the person was named in it: their memberships were not visible to the
        # statement; the policy reads them itself, and the next request reads them with the session.
        tenancy.set_user(user.id)
        if has_request_context():
            session[SESSION_USER] = user.id
    user.session_token = token
    return user


def _proven_user(rows) -> User | None:
    """The session's user if the session is still valid (touched at most once a minute), else None."""
    if not rows:
        return None
    user, session_id, created_at, last_seen_at = rows[0][:4]
    moment = now()
    idle = timedelta(minutes=current_app.config["HROMADA_SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["HROMADA_SESSION_ABSOLUTE_HOURS"])
    if moment - as_utc(last_seen_at) > idle or moment - as_utc(created_at) > absolute:
        db.session.execute(delete(UserSession).where(UserSession.id == session_id))
        db.session.commit()  # the transaction, and the user it acted as, end here
        return None
    if moment - as_utc(last_seen_at) > LAST_SEEN_PRECISION:
        db.session.execute(update(UserSession).where(UserSession.id == session_id).values(last_seen_at=moment))
        db.session.commit()
    return user if user.is_active else None


def start_session(user: User) -> None:
    """Sign `user` in with a brand-new session: nothing of the previous one carries over."""
    language = session.get("language")
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF's cached token belonged to the old session
    token = secrets.token_urlsafe(32)
    moment = now()
    db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id, created_at=moment, last_seen_at=moment,
                               device=describe_device(request.user_agent.string)))
    user.session_token = token
    login_user(user)
    session["language"] = user.language or language
    session[SESSION_USER] = user.id
    tenancy.set_user(user.id)


def end_session(user: User) -> None:
    token = getattr(user, "session_token", None)
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))
    language = session.get("language")
    logout_user()
    session.clear()
    if language:
        session["language"] = language  # the page after signing out stays in the person's language


def end_all_sessions(user_id: int) -> None:
    """After a password change: every other device has to sign in again."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))


def current_session_id(user: User) -> int | None:
    token = getattr(user, "session_token", None)
    if not token:
        return None
    return db.session.scalar(select(UserSession.id).where(UserSession.token_hash == token_hash(token)))


def active_sessions(user_id: int) -> list[UserSession]:
    """The person's sessions still within their time-outs, the most recently used first."""
    moment = now()
    idle = timedelta(minutes=current_app.config["HROMADA_SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["HROMADA_SESSION_ABSOLUTE_HOURS"])
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user_id)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).all()
    return [row for row in rows
            if moment - as_utc(row.last_seen_at) <= idle and moment - as_utc(row.created_at) <= absolute]


def end_other_sessions(user_id: int, keep_id: int | None, only_id: int | None = None) -> int:
    """End the person's other sessions (or just `only_id`), never the one in use; how many ended."""
    statement = delete(UserSession).where(UserSession.user_id == user_id)
    if keep_id is not None:
        statement = statement.where(UserSession.id != keep_id)
    if only_id is not None:
        statement = statement.where(UserSession.id == only_id)
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount


def describe_device(user_agent: str) -> str:
    """A coarse description of the browser, such as "Firefox on Linux"; the full string is not kept."""
    from ua_parser import parse  # its rules compile on first use: only signing in pays for it

    parsed = parse(user_agent or "")
    browser = parsed.user_agent.family if parsed.user_agent and parsed.user_agent.family != "Other" else ""
    system = parsed.os.family if parsed.os and parsed.os.family != "Other" else ""
    if browser and system:
        return f"{browser} · {system}"[:100]
    return (browser or system)[:100]
