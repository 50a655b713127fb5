"""A community is the tenant; an enrolment places it in a programme and a stage."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada import tenancy
from hromada.caching.versions import CohortPlace
from hromada.extensions import db
from hromada.database import string_enum
from hromada.modules.accounts.models import StaffRole, User
from hromada.tenancy import SharedWithOrganisation, Tenant

if TYPE_CHECKING:
    # Named, not imported: the programmes module (admitting a community, its cohort) builds
    # on this one (SQLAlchemy finds the classes by their names once every module's models are loaded).
    from hromada.modules.programmes.models import Programme, Stage


class Community(Tenant, db.Model):
    """A participant community: the tenant. Its name may be a pseudonym.

    Its own row is guarded like its data: only its members, and staff through
    an enrolment, can read it.
    """

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    @classmethod
    def create(cls, name: str) -> Community:
        """Create a community and make it the current tenant.

        On PostgreSQL the id is drawn from the sequence first, so that the row
        is inserted inside its own tenant, as the row-level policy demands.
        """
        community = cls(name=name)
        if db.session.get_bind().dialect.name == "postgresql":
            community.id = db.session.scalar(text("SELECT nextval(pg_get_serial_sequence('communities', 'id'))"))
            tenancy.set_tenant(community.id)
        db.session.add(community)
        db.session.flush()
        tenancy.set_tenant(community.id)
        return community


class Enrolment(SharedWithOrganisation, CohortPlace, db.Model):
    """A community's place in an organisation's programme: which stage it is in now."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("tenant_id", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    current_stage_id: Mapped[int | None] = mapped_column(ForeignKey("programme_stages.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Updated by `hromada.modules.communities.activity.record_activity`: the cohort
    # overview and the stalled-community digest read it.
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # The community's data version (hromada.caching.versions): moved by every commit that wrote
    # this community's rows, so that its cached pages are rendered again.
    data_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    community: Mapped[Community] = relationship()
    programme: Mapped[Programme] = relationship()
    current_stage: Mapped[Stage | None] = relationship()
    staff: Mapped[list[StaffAssignment]] = relationship(back_populates="enrolment")


class StaffAssignment(SharedWithOrganisation, db.Model):
    """A mentor, expert or facilitator assigned to a community's enrolment."""

    __tablename__ = "staff_assignments"
    __table_args__ = (UniqueConstraint("tenant_id", "enrolment_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[StaffRole] = mapped_column(string_enum(StaffRole))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    enrolment: Mapped[Enrolment] = relationship(back_populates="staff")
    user: Mapped[User] = relationship()
