"""People and how they belong: to the platform, to an organisation's staff, to a community."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.database import string_enum
from hromada.i18n import lazy_gettext as _l
from hromada.extensions import db
from hromada.tenancy import MembershipRow, TenantOwned

if TYPE_CHECKING:
    # Named, not imported: the organisations module's pages build on accounts (SQLAlchemy
    # finds the class by its name once every module's models are loaded).
    from hromada.modules.organisations.models import Organisation


# The roles live in hromada.roles (the access policy names them too); here for the models that store them.
from hromada.roles import CommunityRole, StaffRole  # noqa: E402,F401


# How a person who deleted their account is named wherever their contributions are shown.
FORMER_MEMBER = _l("a former member")


def shown_name(display_name: str | None, handle: str, deleted_at) -> str:
    """How a person is named on pages (`User.name`), for a list read as plain rows rather than User objects:
    the name they chose, else their handle; "a former member" once they deleted their account."""
    if deleted_at is not None:
        return str(FORMER_MEMBER)
    return display_name or handle


class User(db.Model):
    """A person with a sign-in. `handle` is a chosen name; e-mail is optional."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(40), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(5))
    # The IANA zone the person reads times in (hromada.times); none: the event's own, else the platform's.
    timezone: Mapped[str | None] = mapped_column(String(64))
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Set when the person deleted their account: the row stays, emptied, so that what they wrote keeps an
    # author, shown as "a former member" (hromada.modules.accounts.deletion).
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    staff_memberships: Mapped[list[StaffMembership]] = relationship(back_populates="user")

    # Set when the user is loaded for a signed-in session; what Flask-Login keeps in the cookie.
    session_token = None

    @property
    def name(self) -> str:
        return shown_name(self.display_name, self.handle, self.deleted_at)

    # Flask-Login's user interface.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str | None:
        return self.session_token


class StaffMembership(db.Model):
    """A person's role on an organisation's staff; one row per role held."""

    __tablename__ = "staff_memberships"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[StaffRole] = mapped_column(string_enum(StaffRole))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    user: Mapped[User] = relationship(back_populates="staff_memberships")
    organisation: Mapped[Organisation] = relationship()


class CommunityMembership(MembershipRow, db.Model):
    """A person's place in a community (the tenant): coordinator or member."""

    __tablename__ = "community_memberships"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[CommunityRole] = mapped_column(string_enum(CommunityRole))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    user: Mapped[User] = relationship()


class UserSession(db.Model):
    """A signed-in session, kept on the server so that signing out ends it everywhere.

    The cookie holds a random token; only its SHA-256 is stored here.
    """

    __tablename__ = "user_sessions"
    __data_version__ = False  # no cached page shows these rows (hromada.caching.versions)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Coarse, so that a person recognises their devices and nothing more: "Firefox on Linux".
    device: Mapped[str] = mapped_column(String(100), default="", server_default="")

    user: Mapped[User] = relationship()


class _Invitation:
    """What every invitation has: single use, an expiry, and only the SHA-256 of its link's token."""

    note: Mapped[str] = mapped_column(String(200), default="")
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StaffInvitation(_Invitation, db.Model):
    """An invitation to an organisation's staff, in a given role."""

    __tablename__ = "staff_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[StaffRole] = mapped_column(string_enum(StaffRole))

    organisation: Mapped[Organisation] = relationship()


class MemberInvitation(_Invitation, TenantOwned, db.Model):
    """An invitation into a community, made by its coordinator."""

    __tablename__ = "member_invitations"
    # The link carries the community's id, so the invitation is found inside its tenant.
    __table_args__ = (UniqueConstraint("tenant_id", "token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[CommunityRole] = mapped_column(string_enum(CommunityRole))
