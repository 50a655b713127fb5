"""Every change operators make to a programme: the programme, its stages, its call and the
questions of its application form. (Applications, their admission and decline: `admission`.)

Plain functions of the objects and the person acting (`actor`), callable without a
request: the pages check the forms and permissions, then call one of these. Each one
saves its work with its audit entry (commits), or raises `Unchanged` having saved
nothing (`OutOfDate` when the page that sent the form was out of date, or the form was
sent twice: what it asked is done already or no longer applies).

What a repeated or stale form could apply twice is guarded by the database: a
conditional update (a stage closed once, a row moved only from where the page showed
it), or an insert in a savepoint that the table's unique key refuses (a stage or question
at a position taken meanwhile). Operators write as their organisation: the page has set
it before calling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from hromada.clock import now
from hromada.extensions import db
from hromada.i18n import LANGUAGE_NAMES
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import User
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Enrolment
from hromada.modules.programmes.models import Application, Programme, Stage
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.models import Question, Questionnaire
from hromada.modules.questionnaires.operations import QuestionFields
from hromada.modules.programmes.stage_settings import default_settings
from hromada.modules.programmes.util import count_stages, first_open_stage

STALE = _l("The page was out of date: nothing was changed. Please look again and retry.")
PROGRAMME_TITLE_TAKEN = _l("This organisation has a programme with this title already.")
CALL_NEEDS_OPEN_STAGE = _l("Add a stage that is not closed before opening the call.")
PUBLISH_NEEDS_STAGE = _l("Add a stage before publishing: a programme without stages offers communities nothing.")
STAYS_PUBLISHED = _l("Communities have applied to this programme or take part in it: it stays published.")

# Where a moved row waits while its neighbour takes its place (positions are unique and never negative).
PARKED = -1


class Unchanged(Exception):
    """Nothing was changed or saved; `message` tells the person why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class OutOfDate(Unchanged):
    """The form came from a page that was out of date, or was sent twice: nothing was changed."""


@dataclass(frozen=True)
class ProgrammeFields:
    """What the programme form sets."""

    title: str
    description: str
    languages: list[str]
    starts_on: date | None
    ends_on: date | None
    stall_days: int | None
    # On creation: the language the title and description are written in, if declared (the operator's own).
    main_language: str = ""


def added_in_savepoint(row) -> bool:
    """Insert `row` in a savepoint; False when a unique key refused it (the rest of the transaction stands)."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return False
    return True


def _out_of_date() -> OutOfDate:
    """Undo what the change did so far; the error to raise."""
    db.session.rollback()
    return OutOfDate(STALE)


# --- Programmes -----------------------------------------------------------------


def _slug_for(title: str) -> str:
    """A programme's slug: its title in lower case, words joined by dashes (any alphabet)."""
    return re.sub(r"[\W_]+", "-", title.strip().lower()).strip("-")[:80] or "programme"


def _fill_programme(programme: Programme, fields: ProgrammeFields) -> None:
    programme.title = fields.title
    programme.description = fields.description
    # In the order of the list of languages, whatever order the browser sent.
    programme.languages = [code for code in LANGUAGE_NAMES if code in set(fields.languages)]
    # The main texts keep their language while the programme declares it; else they are taken to be in the first.
    if programme.language not in programme.languages:
        programme.language = programme.languages[0] if programme.languages else ""
    # A language no longer declared takes its texts with it (nobody would read or edit them).
    programme.translations = {code: texts for code, texts in (programme.translations or {}).items()
                              if code in programme.languages and code != programme.language}
    programme.starts_on = fields.starts_on
    programme.ends_on = fields.ends_on
    programme.stall_days = fields.stall_days


def create_programme(organisation_id: int, fields: ProgrammeFields, actor: User) -> Programme:
    """A new programme of the organisation; its slug, made from the title, is unique in the organisation."""
    slug = _slug_for(fields.title)
    taken = db.session.scalar(
        select(Programme.id).where(Programme.organisation_id == organisation_id, Programme.slug == slug)
    )
    if taken is not None:
        raise Unchanged(PROGRAMME_TITLE_TAKEN)
    programme = Programme(organisation_id=organisation_id, slug=slug, description="", call_text="", translations={},
                          language=fields.main_language if fields.main_language in fields.languages else "")
    _fill_programme(programme, fields)
    if not added_in_savepoint(programme):
        raise Unchanged(PROGRAMME_TITLE_TAKEN)
    record("programme_created", actor=actor, organisation_id=organisation_id, programme_id=programme.id)
    db.session.commit()
    return programme


def change_programme(programme: Programme, fields: ProgrammeFields, actor: User) -> None:
    _fill_programme(programme, fields)
    record("programme_changed", actor=actor, organisation_id=programme.organisation_id, programme_id=programme.id)
    db.session.commit()


# Which texts of a programme have a version in each of its other languages.
TRANSLATED_PARTS = ("title", "description", "call_text")


def change_texts(programme: Programme, translations: dict, actor: User) -> None:
    """Save the programme's texts in its other declared languages: {code: {part: text}}; empty parts are dropped."""
    kept = {}
    for code in programme.languages or []:
        if code == programme.language:
            continue
        texts = {part: text for part, text in (translations.get(code) or {}).items()
                 if part in TRANSLATED_PARTS and text}
        if texts:
            kept[code] = texts
    programme.translations = kept
    record("programme_texts_changed", actor=actor, organisation_id=programme.organisation_id,
           programme_id=programme.id, languages=sorted(kept))
    db.session.commit()


def has_communities(programme_id: int) -> bool:
    """Whether a community has applied to the programme or takes part in it (read as its organisation)."""
    applied = select(Application.id).where(Application.programme_id == programme_id).limit(1)
    enrolled = select(Enrolment.id).where(Enrolment.programme_id == programme_id).limit(1)
    return db.session.scalar(applied) is not None or db.session.scalar(enrolled) is not None


def publish(programme: Programme, actor: User) -> None:
    """Make a draft public: its page, its call if open, applying. Refused (`Unchanged`) while it has no stage."""
    if count_stages(programme.id) == 0:
        raise Unchanged(PUBLISH_NEEDS_STAGE)
    published = db.session.execute(
        update(Programme).where(Programme.id == programme.id, Programme.published_at.is_(None))
        .values(published_at=now()).execution_options(synchronize_session=False)
    ).rowcount
    if published != 1:  # published meanwhile, or the form sent twice
        raise _out_of_date()
    db.session.expire(programme)
    record("programme_published", actor=actor, organisation_id=programme.organisation_id,
           programme_id=programme.id)
    db.session.commit()


def return_to_draft(programme: Programme, actor: User) -> None:
    """Take a published programme back to draft, only while no community has applied to it or takes part in it.

    The programme's row is locked first, as applying locks it (`admission`), so that an application
    sent meanwhile is either seen here (refused) or refused itself: the programme is no longer public.
    """
    locked = db.session.scalar(
        select(Programme.id).where(Programme.id == programme.id, Programme.published_at.is_not(None))
        .with_for_update()
    )
    if locked is None:
        raise _out_of_date()
    if has_communities(programme.id):
        db.session.rollback()
        raise Unchanged(STAYS_PUBLISHED)
    db.session.execute(update(Programme).where(Programme.id == programme.id).values(published_at=None)
                       .execution_options(synchronize_session=False))
    db.session.expire(programme)
    record("programme_returned_to_draft", actor=actor, organisation_id=programme.organisation_id,
           programme_id=programme.id)
    db.session.commit()


# --- Stages ---------------------------------------------------------------------


def add_stage(programme: Programme, stage_type, actor: User, *, expected_count: int) -> Stage:
    """Append a stage of `stage_type`, unless the programme no longer has `expected_count` stages."""
    count = count_stages(programme.id)
    if count != expected_count:
        raise _out_of_date()
    stage = Stage(programme_id=programme.id, position=count, stage_type=stage_type.key,
                  settings=default_settings(stage_type))
    if not added_in_savepoint(stage):  # another request took this position first
        raise _out_of_date()
    record("stage_added", actor=actor, organisation_id=programme.organisation_id, programme_id=programme.id,
           stage_id=stage.id, stage_type=stage.stage_type)
    db.session.commit()
    return stage


def change_stage(programme: Programme, stage: Stage, actor: User, *, title: str, starts_on: date | None,
                 ends_on: date | None, capacity: int | None, settings: dict | None) -> None:
    """Save the stage's dates, capacity and (unless None: a stage type without any) settings."""
    stage.title = title
    stage.starts_on = starts_on
    stage.ends_on = ends_on
    stage.capacity = capacity
    if settings is not None:
        stage.settings = settings
    record("stage_changed", actor=actor, organisation_id=programme.organisation_id, programme_id=programme.id,
           stage_id=stage.id)
    db.session.commit()


def close_stage(programme: Programme, stage: Stage, actor: User) -> bool:
    """Close the stage if it is open; nothing is deleted. False if it was closed already."""
    closed = db.session.execute(
        update(Stage)
        .where(Stage.id == stage.id, Stage.closed_at.is_(None))
        .values(closed_at=now())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(stage)
    if closed != 1:
        return False
    record("stage_closed", actor=actor, organisation_id=programme.organisation_id, programme_id=programme.id,
           stage_id=stage.id)
    db.session.commit()
    return True


def _move(item, direction: str, expected_position: int) -> None:
    """Swap a stage with its neighbour above or below, or raise `OutOfDate`.

    The item moves only if it is still where the page showed it, so that a
    repeated click moves it once. Positions stay unique and dense.
    """
    model = type(item)
    parent = model.programme_id
    target = expected_position - 1 if direction == "up" else expected_position + 1
    if target < 0:
        raise _out_of_date()
    parked = db.session.execute(
        update(model)
        .where(model.id == item.id, model.position == expected_position)
        .values(position=PARKED)
        .execution_options(synchronize_session=False)
    ).rowcount
    if parked != 1:
        raise _out_of_date()
    moved = db.session.execute(
        update(model)
        .where(parent == item.programme_id, model.position == target)
        .values(position=expected_position)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:  # no neighbour there: the rollback puts the item back
        raise _out_of_date()
    db.session.execute(
        update(model).where(model.id == item.id).values(position=target)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


def move_stage(programme: Programme, stage: Stage, actor: User, *, direction: str, position: int) -> None:
    _move(stage, direction, position)
    record("stage_moved", actor=actor, organisation_id=programme.organisation_id, programme_id=programme.id,
           direction=direction, stage_id=stage.id)
    db.session.commit()


# --- The call and its questions -------------------------------------------------


def change_call(programme: Programme, actor: User, *, call_open: bool, text: str, closes_on: date | None) -> None:
    """Open or close the call, with its text and closing day; a call opens only onto a stage that is not closed."""
    if call_open and first_open_stage(programme.id) is None:
        raise Unchanged(CALL_NEEDS_OPEN_STAGE)
    programme.call_open = call_open
    programme.call_text = text
    programme.call_closes_on = closes_on
    record("call_changed", actor=actor, organisation_id=programme.organisation_id, programme_id=programme.id,
           open=programme.call_open)
    db.session.commit()


def _form_changed(programme: Programme, actor: User, question_id: int, change: str, **details) -> None:
    record("application_form_changed", actor=actor, organisation_id=programme.organisation_id,
           programme_id=programme.id, question_id=question_id, change=change, **details)
    db.session.commit()


def _questionnaire(programme: Programme) -> Questionnaire:
    """The call's questionnaire, created with its first question."""
    if programme.questionnaire is None:
        programme.questionnaire = questionnaires.create(programme.organisation_id)
        db.session.flush()
    return programme.questionnaire


def _refused(refusal: questionnaires.Refused) -> Unchanged:
    db.session.rollback()
    if isinstance(refusal, questionnaires.Stale):
        return OutOfDate(refusal.message)
    return Unchanged(refusal.message)


def add_question(programme: Programme, fields: QuestionFields, actor: User, *,
                 expected_count: int | None) -> Question:
    """Append a question to the application form, unless it has `expected_count` no longer (None: any)."""
    try:
        question = questionnaires.add_question(_questionnaire(programme), fields, expected_count=expected_count)
    except questionnaires.Refused as refusal:
        raise _refused(refusal) from None
    _form_changed(programme, actor, question.id, "added")
    return question


def change_question(programme: Programme, question: Question, fields: QuestionFields, actor: User) -> None:
    questionnaires.change_question(programme.questionnaire, question, fields)
    _form_changed(programme, actor, question.id, "changed")


def move_question(programme: Programme, question: Question, actor: User, *, direction: str,
                  position: int) -> None:
    try:
        questionnaires.move_question(programme.questionnaire, question, direction=direction, position=position)
    except questionnaires.Refused as refusal:
        raise _refused(refusal) from None
    # `direction` first, as the audit entries of moves have always listed it.
    record("application_form_changed", actor=actor, organisation_id=programme.organisation_id,
           programme_id=programme.id, direction=direction, question_id=question.id, change="moved")
    db.session.commit()


def remove_question(programme: Programme, question: Question, actor: User) -> bool:
    """Remove a question; the ones after it move up. Answers already given are kept. False: removed already."""
    question_id = question.id
    if not questionnaires.remove_question(programme.questionnaire, question):
        return False
    _form_changed(programme, actor, question_id, "removed")
    return True
