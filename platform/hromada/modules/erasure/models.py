"""An erase request (the community's own row, erased with it) and its certificate (which outlives it).

The request names the people who asked, confirmed or cancelled: it is the community's data
and goes with everything else. The certificate holds no person and no name, only the
community's number, the counts of what was deleted and the dates, so it can stay after
the community is gone, readable by whoever holds its link (its token's SHA-256 is stored).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.extensions import db
from hromada.tenancy import TenantOwned

GRACE_DAYS = 7


class EraseCertificate(db.Model):
    """What an erase deleted, when, and until when backups still hold the community.

    Not a tenant's row: `community_id` is a bare number (no foreign key), since the community
    is gone once the certificate is complete. On PostgreSQL it is read by system work, by the
    community while it exists, or by a request that presents its token (migration era0001).
    """

    __tablename__ = "erase_certificates"
    __data_version__ = False  # no cached page shows these rows (hromada.caching.versions)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # {table: rows deleted}, every table that holds a community's rows.
    deleted_rows: Mapped[dict] = mapped_column(JSON, default=dict)
    accounts_removed: Mapped[int] = mapped_column(default=0)
    key_destroyed: Mapped[bool] = mapped_column(Boolean, default=False)
    backups_expire_on: Mapped[date | None] = mapped_column(Date)


class EraseRequest(TenantOwned, db.Model):
    """A coordinator's request to erase the community, its confirmation and its cancellation."""

    __tablename__ = "erase_requests"
    __table_args__ = (
        UniqueConstraint("tenant_id", "certificate_id"),
        # One open request per community, whoever asks at the same moment.
        Index("uq_erase_requests_open", "tenant_id", unique=True, sqlite_where=text("cancelled_at IS NULL"),
              postgresql_where=text("cancelled_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("erase_certificates.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The end of the grace: confirmed_at + GRACE_DAYS.
    erase_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    certificate: Mapped[EraseCertificate] = relationship()

    @property
    def is_open(self) -> bool:
        return self.cancelled_at is None
