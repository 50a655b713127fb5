"""What operators and communities do with programmes, apart from the pages that ask for it.

Every function works in the caller's transaction and tenancy context and never
commits. Changes that a repeated or stale form could apply twice are
conditional updates: they say whether they changed anything.
"""

from __future__ import annotations

import enum
import re
from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from hromada.clock import now
from hromada.extensions import db
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Enrolment
from hromada.modules.programmes.models import (
    Application,
    ApplicationQuestion,
    ApplicationStatus,
    Programme,
    Stage,
)
from hromada.modules.programmes.stage_settings import settings_of

# Where a moved row waits while its neighbour takes its place (positions are unique and never negative).
PARKED = -1


# --- Programmes -----------------------------------------------------------------


def slug_for(title: str) -> str:
    """A programme's slug: its title in lower case, words joined by dashes (any alphabet)."""
    return re.sub(r"[\W_]+", "-", title.strip().lower()).strip("-")[:80] or "programme"


def slug_taken(organisation_id: int, slug: str) -> bool:
    return db.session.scalar(
        select(Programme.id).where(Programme.organisation_id == organisation_id, Programme.slug == slug)
    ) is not None


def open_calls(today: date | None = None) -> list[Programme]:
    """Programmes whose call is open today, of every organisation (calls are public)."""
    today = today or date.today()
    from sqlalchemy.orm import joinedload

    return db.session.scalars(
        select(Programme)
        .options(joinedload(Programme.organisation))
        .where(Programme.call_open.is_(True))
        .where((Programme.call_closes_on.is_(None)) | (Programme.call_closes_on >= today))
        .order_by(Programme.call_closes_on.is_(None), Programme.call_closes_on, Programme.title)
    ).all()


# --- Stages ---------------------------------------------------------------------


def stage_types() -> dict:
    return current_app.extensions["hromada.stage_types"]


def settings_form(stage_type, stage: Stage | None = None, formdata=None):
    """The stage type's settings form (with the fields modules add), filled from the request,
    else from the stage's settings.

    Fields the stage has no setting for show the form's defaults. The form is
    part of a page whose own form carries the CSRF token, and is prefixed so
    that a plugin's field names never meet the page's.
    """
    form_class = settings_of(stage_type.key).form_class if stage_type is not None else None
    if form_class is None:
        return None
    data = dict(stage.settings or {}) if stage is not None else {}
    return form_class(formdata=formdata, data=data, prefix="settings", meta={"csrf": False})


def settings_data(form) -> dict:
    """What is stored in `Stage.settings`: the form's data (without any CSRF token), as JSON values."""
    if form is None:
        return {}
    return {name: _jsonable(value) for name, value in form.data.items() if name != "csrf_token"}


def _jsonable(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def default_settings(stage_type) -> dict:
    return settings_data(settings_form(stage_type, formdata=None))


def count_stages(programme_id: int) -> int:
    return db.session.scalar(select(func.count(Stage.id)).where(Stage.programme_id == programme_id))


def add_stage(programme: Programme, stage_type, expected_count: int) -> Stage | None:
    """Append a stage of `stage_type`, unless the programme no longer has `expected_count` stages."""
    count = count_stages(programme.id)
    if count != expected_count:
        return None
    stage = Stage(programme_id=programme.id, position=count, stage_type=stage_type.key,
                  settings=default_settings(stage_type))
    try:
        with db.session.begin_nested():
            db.session.add(stage)
            db.session.flush()
    except IntegrityError:  # another request took this position first
        return None
    return stage


def first_open_stage(programme_id: int, *, lock: bool = False) -> Stage | None:
    query = (
        select(Stage)
        .where(Stage.programme_id == programme_id, Stage.closed_at.is_(None))
        .order_by(Stage.position)
        .limit(1)
    )
    if lock:
        query = query.with_for_update()
    return db.session.scalar(query)


def close_stage(stage: Stage) -> bool:
    """Close the stage if it is open; nothing is deleted. False if it was closed already."""
    closed = db.session.execute(
        update(Stage)
        .where(Stage.id == stage.id, Stage.closed_at.is_(None))
        .values(closed_at=now())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(stage)
    return closed == 1


def move(item, direction: str, expected_position: int) -> bool:
    """Swap a stage or question with its neighbour above or below; False when the page was stale.

    The item moves only if it is still where the page showed it, so that a
    repeated click moves it once. Positions stay unique and dense.
    """
    model = type(item)
    parent = model.programme_id
    target = expected_position - 1 if direction == "up" else expected_position + 1
    if target < 0:
        return False
    parked = db.session.execute(
        update(model)
        .where(model.id == item.id, model.position == expected_position)
        .values(position=PARKED)
        .execution_options(synchronize_session=False)
    ).rowcount
    if parked != 1:
        return False
    moved = db.session.execute(
        update(model)
        .where(parent == item.programme_id, model.position == target)
        .values(position=expected_position)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:  # no neighbour there: put the item back
        db.session.execute(
            update(model).where(model.id == item.id).values(position=expected_position)
            .execution_options(synchronize_session=False)
        )
        db.session.expire_all()
        return False
    db.session.execute(
        update(model).where(model.id == item.id).values(position=target)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return True


# --- Questions ----------------------------------------------------------------


def count_questions(programme_id: int) -> int:
    return db.session.scalar(
        select(func.count(ApplicationQuestion.id)).where(ApplicationQuestion.programme_id == programme_id)
    )


def add_question(programme: Programme, expected_count: int | None, **values) -> ApplicationQuestion | None:
    count = count_questions(programme.id)
    if expected_count is not None and count != expected_count:
        return None
    question = ApplicationQuestion(programme_id=programme.id, position=count, **values)
    try:
        with db.session.begin_nested():
            db.session.add(question)
            db.session.flush()
    except IntegrityError:
        return None
    return question


def remove_question(question: ApplicationQuestion) -> bool:
    """Remove a question; the ones after it move up. Answers already given are kept."""
    programme_id, position = question.programme_id, question.position
    removed = db.session.execute(
        delete(ApplicationQuestion)
        .where(ApplicationQuestion.id == question.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed != 1:
        return False
    followers = db.session.scalars(
        select(ApplicationQuestion.id)
        .where(ApplicationQuestion.programme_id == programme_id, ApplicationQuestion.position > position)
        .order_by(ApplicationQuestion.position)
    ).all()
    # One by one, from the top: each takes the free place above it, so no two ever share one.
    for question_id in followers:
        db.session.execute(
            update(ApplicationQuestion)
            .where(ApplicationQuestion.id == question_id)
            .values(position=ApplicationQuestion.position - 1)
            .execution_options(synchronize_session=False)
        )
    db.session.expire_all()
    return True


# --- Applications ---------------------------------------------------------------


def submit_application(programme: Programme, answers: dict) -> Application | None:
    """The current community applies to `programme`; None if it has applied already."""
    application = Application(
        organisation_id=programme.organisation_id, programme_id=programme.id,
        status=ApplicationStatus.SUBMITTED, answers=answers, decision_message="",
    )
    try:
        with db.session.begin_nested():
            db.session.add(application)
            db.session.flush()
    except IntegrityError:
        return None
    return application


def sign_up_and_apply(programme: Programme, *, community_name: str, handle: str, password: str,
                      email: str | None, language: str | None, answers: dict):
    """A new community with its first coordinator, and its application: one unit, not committed.

    Raises IntegrityError when the handle or e-mail was taken meanwhile; the
    caller rolls the whole unit back.
    """
    from hromada.modules.communities.services import create_community_with_coordinator

    community, user = create_community_with_coordinator(
        community_name=community_name, handle=handle, password=password, email=email, language=language
    )
    application = Application(
        organisation_id=programme.organisation_id, programme_id=programme.id,
        status=ApplicationStatus.SUBMITTED, answers=answers, decision_message="",
    )
    db.session.add(application)
    db.session.flush()
    record("application_submitted", actor=user, organisation_id=programme.organisation_id,
           community_id=community.id, programme_id=programme.id)
    return community, user, application


class Admission(enum.Enum):
    ADMITTED = "admitted"
    DECIDED_ALREADY = "decided_already"
    NO_OPEN_STAGE = "no_open_stage"
    STAGE_FULL = "stage_full"


def admit(programme: Programme, application: Application, *, decided_by, message: str = "") -> tuple[Admission, Stage | None]:
    """Admit a submitted application: the community is enrolled in the first stage that is not closed."""
    stage = first_open_stage(programme.id, lock=True)
    if stage is None:
        return Admission.NO_OPEN_STAGE, None
    if stage.capacity is not None:
        in_stage = db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.current_stage_id == stage.id))
        if in_stage >= stage.capacity:
            return Admission.STAGE_FULL, stage
    if not _decide(application, ApplicationStatus.ADMITTED, decided_by, message):
        return Admission.DECIDED_ALREADY, stage
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.tenant_id == application.tenant_id, Enrolment.programme_id == programme.id)
    )
    if enrolment is None:  # a community enrolled by other means keeps its place
        db.session.add(Enrolment(tenant_id=application.tenant_id, organisation_id=programme.organisation_id,
                                 programme_id=programme.id, current_stage_id=stage.id))
    record("application_admitted", organisation_id=programme.organisation_id, community_id=application.tenant_id,
           programme_id=programme.id, application_id=application.id, stage_id=stage.id)
    return Admission.ADMITTED, stage


def decline(programme: Programme, application: Application, *, decided_by, message: str) -> bool:
    if not _decide(application, ApplicationStatus.DECLINED, decided_by, message):
        return False
    record("application_declined", organisation_id=programme.organisation_id, community_id=application.tenant_id,
           programme_id=programme.id, application_id=application.id)
    return True


def _decide(application: Application, status: ApplicationStatus, decided_by, message: str) -> bool:
    """Only a submitted application is decided: a repeated or stale decision changes nothing."""
    decided = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.status == ApplicationStatus.SUBMITTED)
        .values(status=status, decided_at=now(), decided_by_id=decided_by.id, decision_message=message)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(application)
    return decided == 1
