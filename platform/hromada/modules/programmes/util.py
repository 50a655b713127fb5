"""Reads that the programme pages of every module, and this module's operations, share."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from hromada.extensions import db
from hromada.modules.programmes.models import Programme, Stage


def programme_or_404(organisation_id: int, programme_id: int, *options) -> Programme:
    """The organisation's programme (loaded with `options`), or 404: another organisation's is not found either."""
    programme = db.session.scalar(
        select(Programme).options(*options)
        .where(Programme.id == programme_id, Programme.organisation_id == organisation_id)
    )
    if programme is None:
        abort(404)
    return programme


def stage_types() -> dict:
    """Every stage type the plugins offer, by key."""
    return current_app.extensions["hromada.stage_types"]


def open_calls(today: date | None = None) -> list[Programme]:
    """Programmes whose call is open today, of every organisation (calls are public)."""
    today = today or date.today()
    return db.session.scalars(
        select(Programme)
        .options(joinedload(Programme.organisation))
        .where(Programme.call_open.is_(True))
        .where((Programme.call_closes_on.is_(None)) | (Programme.call_closes_on >= today))
        .order_by(Programme.call_closes_on.is_(None), Programme.call_closes_on, Programme.title)
    ).all()


def first_open_stage(programme_id: int, *, lock: bool = False) -> Stage | None:
    """The first stage that is not closed: where an admitted community starts."""
    query = (
        select(Stage)
        .where(Stage.programme_id == programme_id, Stage.closed_at.is_(None))
        .order_by(Stage.position)
        .limit(1)
    )
    if lock:
        query = query.with_for_update()
    return db.session.scalar(query)


def count_stages(programme_id: int) -> int:
    return db.session.scalar(select(func.count(Stage.id)).where(Stage.programme_id == programme_id))
