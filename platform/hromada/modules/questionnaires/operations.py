"""Changing a questionnaire's questions, and freezing the version that answers are given to.

These functions never commit: the owner's operation (a programme's call, a scholarship call)
records its audit entry and commits, so that a change and its record are saved together.
Every change raises the questionnaire's version and freezes it. A stale or repeated form changes nothing
(`Stale`): a question moves only from where the page showed it, and a new one takes a
position that the table's unique key guards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.questionnaires.forms import QUESTIONS_MAX
from hromada.modules.questionnaires.models import Question, Questionnaire, QuestionnaireVersion, QuestionKind

STALE = _l("The page was out of date: nothing was changed. Please look again and retry.")
TOO_MANY_QUESTIONS = _l("A questionnaire has at most %(count)d questions.", count=QUESTIONS_MAX)
# Where a moved question waits while its neighbour takes its place (positions are never negative).
PARKED = -1


class Refused(Exception):
    """Nothing was changed; `message` tells the person why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class Stale(Refused):
    """The form came from a page that was out of date, or was sent twice."""


@dataclass(frozen=True)
class QuestionFields:
    """What the question form sets."""

    label: str
    help_text: str
    kind: QuestionKind
    required: bool
    choices: list[str] = field(default_factory=list)
    language: str = ""
    translations: dict = field(default_factory=dict)
    min_value: int | None = None
    max_value: int | None = None
    currency: str | None = None
    artefact_kind: str | None = None


def fields_from_form(form, languages: list[str]) -> QuestionFields:
    """What a valid `forms.QuestionForm` asks, keeping only what the kind of answer uses."""
    from hromada.modules.questionnaires.forms import translations_of

    kind = QuestionKind(form.kind.data)
    number = kind == QuestionKind.NUMBER
    money = kind == QuestionKind.MONEY
    return QuestionFields(
        label=form.label.data.strip(), help_text=(form.help_text.data or "").strip(), kind=kind,
        required=bool(form.required.data), choices=form.choice_list(),
        language=languages[0] if languages else "", translations=translations_of(form, languages),
        min_value=form.min_value.data if number else None,
        max_value=form.max_value.data if number else (form.max_money.amount_minor if money and form.max_money else None),
        currency=form.currency.data if kind in (QuestionKind.MONEY, QuestionKind.BUDGET) else None,
        artefact_kind=form.artefact_kind.data if kind == QuestionKind.ARTEFACT else None,
    )


def create(organisation_id: int) -> Questionnaire:
    """A questionnaire without questions yet, at version 1 (frozen, empty)."""
    questionnaire = Questionnaire(organisation_id=organisation_id, version=1)
    db.session.add(questionnaire)
    db.session.flush()
    db.session.add(QuestionnaireVersion(questionnaire_id=questionnaire.id, version=1, questions=[]))
    db.session.flush()
    return questionnaire


def _raise_version(questionnaire: Questionnaire) -> None:
    """The next version, frozen with the questions as they are now (in the same transaction as the change).

    The update takes the questionnaire's row lock on PostgreSQL: two operators changing the
    questions at once get two versions, one after the other.
    """
    version = db.session.execute(
        update(Questionnaire).where(Questionnaire.id == questionnaire.id)
        .values(version=Questionnaire.version + 1).returning(Questionnaire.version)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    db.session.expire(questionnaire)
    questions = db.session.scalars(
        select(Question).where(Question.questionnaire_id == questionnaire.id).order_by(Question.position)
    ).all()
    db.session.add(QuestionnaireVersion(questionnaire_id=questionnaire.id, version=version,
                                        questions=[question.frozen() for question in questions]))
    db.session.flush()


def count(questionnaire_id: int | None) -> int:
    if questionnaire_id is None:
        return 0
    return db.session.scalar(select(func.count(Question.id)).where(Question.questionnaire_id == questionnaire_id))


def _fill(question: Question, fields: QuestionFields) -> None:
    question.label = fields.label
    question.help_text = fields.help_text
    question.kind = fields.kind
    question.required = fields.required
    question.choices = fields.choices
    question.language = fields.language
    question.translations = fields.translations
    question.min_value = fields.min_value
    question.max_value = fields.max_value
    question.currency = fields.currency
    question.artefact_kind = fields.artefact_kind


def add_question(questionnaire: Questionnaire, fields: QuestionFields, *, expected_count: int | None) -> Question:
    """Append a question, unless the questionnaire no longer has `expected_count` questions (None: any)."""
    present = count(questionnaire.id)
    if present >= QUESTIONS_MAX:
        raise Refused(TOO_MANY_QUESTIONS)
    if expected_count is not None and present != expected_count:
        raise Stale(STALE)
    question = Question(questionnaire_id=questionnaire.id, position=present)
    _fill(question, fields)
    try:
        with db.session.begin_nested():
            db.session.add(question)
            db.session.flush()
    except IntegrityError:  # another request took this position first
        raise Stale(STALE) from None
    _raise_version(questionnaire)
    return question


def change_question(questionnaire: Questionnaire, question: Question, fields: QuestionFields) -> None:
    _fill(question, fields)
    db.session.flush()
    _raise_version(questionnaire)


def move_question(questionnaire: Questionnaire, question: Question, *, direction: str, position: int) -> None:
    """Swap the question with its neighbour above or below, if it is still where the page showed it."""
    target = position - 1 if direction == "up" else position + 1
    if target < 0:
        raise Stale(STALE)
    parked = db.session.execute(
        update(Question).where(Question.id == question.id, Question.position == position)
        .values(position=PARKED).execution_options(synchronize_session=False)
    ).rowcount
    if parked != 1:
        raise Stale(STALE)
    moved = db.session.execute(
        update(Question).where(Question.questionnaire_id == questionnaire.id, Question.position == target)
        .values(position=position).execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:  # no neighbour there: the caller's rollback puts the question back
        raise Stale(STALE)
    db.session.execute(
        update(Question).where(Question.id == question.id).values(position=target)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    _raise_version(questionnaire)


def remove_question(questionnaire: Questionnaire, question: Question) -> bool:
    """Remove a question; the ones after it move up. Answers already given keep it in their version.
    False: it was removed already."""
    question_id, position = question.id, question.position
    removed = db.session.execute(
        delete(Question).where(Question.id == question_id).execution_options(synchronize_session=False)
    ).rowcount
    if removed != 1:
        return False
    followers = db.session.scalars(
        select(Question.id)
        .where(Question.questionnaire_id == questionnaire.id, Question.position > position)
        .order_by(Question.position)
    ).all()
    # One by one, from the top: each takes the free place above it, so no two ever share one.
    for follower_id in followers:
        db.session.execute(
            update(Question).where(Question.id == follower_id).values(position=Question.position - 1)
            .execution_options(synchronize_session=False)
        )
    db.session.expire_all()
    _raise_version(questionnaire)
    return True


def answered_version(questionnaire: Questionnaire | None) -> int | None:
    """The version answers given now answer (frozen already: every change froze its version)."""
    return questionnaire.version if questionnaire is not None else None


def versions_of(questionnaire_id: int | None) -> dict[int, list[dict]]:
    """Every frozen version of the questionnaire: {version: [frozen question, ...]} (one query)."""
    if questionnaire_id is None:
        return {}
    rows = db.session.execute(
        select(QuestionnaireVersion.version, QuestionnaireVersion.questions)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
    ).all()
    return {version: questions for version, questions in rows}
