"""A community's manifesto: every save is a revision; comments sit on a revision's paragraphs.

The draft is the latest revision. A save names the revision it was written on
(`based_on_id`) and takes the next number, unique per community: two members
saving on the same revision cannot both succeed, and the second is shown what
changed instead of overwriting it. A revision is adopted by a decision on it;
an adopted manifesto is public only while `public_token` is set.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.plugin_api import TenantOwned, User, db


class ManifestoRevision(TenantOwned, db.Model):
    __tablename__ = "accelerator_manifesto_revisions"
    __table_args__ = (UniqueConstraint("tenant_id", "number"), UniqueConstraint("tenant_id", "public_token"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("accelerator_manifesto_revisions.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Set when a decision adopted this revision.
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set while the community publishes this adopted revision; the public page's address.
    public_token: Mapped[str | None] = mapped_column(String(40))

    author: Mapped[User | None] = relationship()


class ManifestoComment(TenantOwned, db.Model):
    """A comment on one paragraph of one revision, by a member, the facilitator or the mentor."""

    __tablename__ = "accelerator_manifesto_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("accelerator_manifesto_revisions.id", ondelete="CASCADE"),
                                             index=True)
    paragraph: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    author: Mapped[User | None] = relationship()
