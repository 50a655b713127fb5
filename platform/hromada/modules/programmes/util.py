"""Reads that the programme pages of every module, and this module's operations, share."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from hromada import authz
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


def published_programme_or_404(programme_id: int, *options) -> Programme:
    """A programme's public view: published, or a draft that the signed-in person sees as staff of its
    organisation (anyone else is told it does not exist)."""
    programme = db.session.scalar(select(Programme).options(*options).where(Programme.id == programme_id))
    if programme is None or not (programme.published_at is not None or sees_drafts_of(programme.organisation_id)):
        abort(404)
    return programme


def sees_drafts_of(organisation_id: int) -> bool:
    """Whether the signed-in person is on the staff of the organisation, and so sees its draft programmes."""
    return organisation_id in authz.principal().staff


def open_calls(today: date | None = None) -> list[Programme]:
    """Programmes whose call is open today, of every organisation (calls are public): published ones only."""
    today = today or date.today()
    return db.session.scalars(
        select(Programme)
        .options(joinedload(Programme.organisation))
        .where(Programme.call_open.is_(True), Programme.published_at.is_not(None))
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
