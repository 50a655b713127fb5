"""Frozen versions of an artefact a community adopts by decision (its charter, its strategy).

A draft is frozen into a version (its content as data, its text as members read it)
before a proposal opens; the version never changes, so what passes is what was
read. Freezing the same content twice gives the same version (a double submit, or
two members at once).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from flask import abort

from hromada.plugin_api import db
from hromada_accelerator.visibility import adopted_by_decision, reads_drafts, staff_programmes


class FrozenVersion:
    """The columns of a version: its number in the community, its text and content, and when it was adopted.

    A model adds `TenantOwned`, its table name and the unique constraints
    `(tenant_id, number)` and `(tenant_id, fingerprint)`.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    content: Mapped[dict] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def fingerprint(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def freeze(model, community_id: int, content: dict, text: str, created_by_id: int):
    """The version of `content`: the existing one if it was frozen before, else a new one (committed)."""
    digest = fingerprint(content)
    query = select(model).where(model.tenant_id == community_id, model.fingerprint == digest)
    version = db.session.scalars(query).one_or_none()
    if version is not None:
        return version
    number = (db.session.scalar(select(func.max(model.number)).where(model.tenant_id == community_id)) or 0) + 1
    db.session.add(model(tenant_id=community_id, number=number, text=text, content=content, fingerprint=digest,
                         created_by_id=created_by_id))
    try:
        db.session.commit()
    except IntegrityError:  # frozen at the same instant by someone else: theirs is the same content
        db.session.rollback()
    return db.session.scalars(query).one()


def adopted(model, subject: str, community_id: int, programmes=None):
    """The version in force; for staff (`programmes`), one adopted by a decision shared with their programme."""
    return db.session.scalars(
        select(model).where(model.tenant_id == community_id, adopted_by_decision(model, subject, programmes))
        .order_by(model.adopted_at.desc(), model.id.desc()).limit(1)).first()


def readable_or_404(model, subject: str, community_id: int, version_id: int, *, drafts_for_staff: bool):
    """One version of the community's artefact, as the person may read it, or 404.

    Members read every version. Staff read one the community adopted by a decision it shared
    with their programme; with `drafts_for_staff`, the mentors and facilitators of its current
    stage (`reads_drafts`) read every version too.
    """
    query = select(model).where(model.id == version_id, model.tenant_id == community_id)
    programmes = staff_programmes(community_id)
    if programmes is not None and not (drafts_for_staff and reads_drafts(community_id)):
        query = query.where(adopted_by_decision(model, subject, programmes))
    found = db.session.scalars(query).one_or_none()
    if found is None:
        abort(404)
    return found
