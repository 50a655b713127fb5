"""Frozen versions of an artefact a community adopts by decision (its charter, its strategy).

A draft is frozen into a version (its content as data, its text as members read it)
before a proposal opens; the version never changes, so what passes is what was
read. Freezing the same content twice gives the same version (a double submit, or
two members at once).
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hromada.plugin_api import db
from hromada_accelerator.visibility import adopted_by_decision


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
