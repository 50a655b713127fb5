"""The health check's view."""

from __future__ import annotations

from flask import Response
from sqlalchemy.exc import SQLAlchemyError

from hromada.extensions import db
from hromada.modules.organisations.models import Organisation


def health() -> Response:
    """Answer "ok" when the database answers one primary-key query, "unavailable" (503) otherwise.

    The answer is for machines (load balancers, the benchmark), so it is not translated.
    The row need not exist: the point is that the query runs.
    """
    try:
        db.session.get(Organisation, 1)
    except SQLAlchemyError:
        db.session.rollback()
        return _plain("unavailable", 503)
    return _plain("ok", 200)


def _plain(text: str, status: int) -> Response:
    response = Response(text, status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response
