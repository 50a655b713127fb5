"""One data key per community, stored only wrapped by a master key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from hromada.extensions import db
from hromada.tenancy import TenantOwned


class DataKey(TenantOwned, db.Model):
    """The key that seals a community's confidential values, wrapped by a master key.

    `wrapped_key` is useless without the master key named by `master_key_id`
    (the fingerprint of a key that lives only in the servers' environment).
    Destroying the key overwrites `wrapped_key` and sets `destroyed_at`: the row
    stays, so no new key is ever made for an erased community.
    """

    __tablename__ = "data_keys"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    # "" for a community erased before it ever had a key.
    master_key_id: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    destroyed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
