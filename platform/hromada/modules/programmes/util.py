"""Lookups the programme pages of every module share."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from hromada.extensions import db
from hromada.modules.programmes.models import Programme


def programme_or_404(organisation_id: int, programme_id: int, *options) -> Programme:
    """The organisation's programme (loaded with `options`), or 404: another organisation's is not found either."""
    programme = db.session.scalar(
        select(Programme).options(*options)
        .where(Programme.id == programme_id, Programme.organisation_id == organisation_id)
    )
    if programme is None:
        abort(404)
    return programme
