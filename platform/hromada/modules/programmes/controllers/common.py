"""What the programme pages share: finding a programme's stage, question or application (or 404),
a call that is open, the programme's URLs, and moving a stage or question up or down."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hromada.extensions import db
from hromada.modules.programmes.forms import PositionForm
from hromada.modules.programmes.models import Application, Programme, Stage
from hromada.modules.questionnaires.models import Question, Questionnaire
from hromada.modules.programmes.operations import OutOfDate


def programme_url(programme: Programme, endpoint: str = "programmes.show", **values) -> str:
    return url_for(endpoint, organisation_id=programme.organisation_id, programme_id=programme.id, **values)


def stage_or_404(programme: Programme, stage_id: int) -> Stage:
    stage = db.session.scalar(select(Stage).where(Stage.id == stage_id, Stage.programme_id == programme.id))
    if stage is None:
        abort(404)
    return stage


def question_or_404(programme: Programme, question_id: int) -> Question:
    question = db.session.scalar(
        select(Question).where(Question.id == question_id, Question.questionnaire_id == programme.questionnaire_id)
    ) if programme.questionnaire_id is not None else None
    if question is None:
        abort(404)
    return question


def application_or_404(programme: Programme, application_id: int) -> Application:
    application = db.session.scalar(
        select(Application).where(
            Application.id == application_id,
            Application.programme_id == programme.id,
            Application.organisation_id == programme.organisation_id,
        )
    )
    if application is None:
        abort(404)
    return application


def open_call_programme(programme_id: int) -> Programme | None:
    """The programme, if its call is open today."""
    # One query for the programme, its organisation, stages and questions (a few rows joined):
    # the public call page is the busiest page of a call.
    programme = db.session.scalars(
        select(Programme)
        .options(joinedload(Programme.organisation), joinedload(Programme.stages),
                 joinedload(Programme.questionnaire).joinedload(Questionnaire.questions))
        .where(Programme.id == programme_id)
    ).unique().first()
    return programme if programme is not None and programme.call_is_open() else None


def moved(move, programme: Programme, item, back: str):
    """Move a stage or question as the position form asks (`move`: the operation); a stale page moves nothing."""
    form = PositionForm()
    if not form.validate():
        abort(400)
    try:
        move(programme, item, current_user, direction=form.direction.data, position=form.position.data)
    except OutOfDate as out_of_date:
        flash(out_of_date.message, "error")
    return redirect(back)
