"""Every change to scholarship calls and applications: plain functions of the objects and the person acting.

Each saves its work with its audit entry (commits), or raises `Refused` having saved nothing.
Operators write as their organisation, coordinators as their community: the page has set it.
What a repeated form could do twice is guarded by the database: one application per community and
call (a unique key), a withdrawal only of an application not withdrawn (a conditional update).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from hromada.clock import now, today
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import User
from hromada.modules.audit.log import record
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.models import Question, QuestionKind
from hromada.modules.questionnaires.operations import QuestionFields
from hromada.money import Money, format_money
from hromada.modules.scholarships import eligibility
from hromada.modules.scholarships.models import DETERMINED, ScholarshipApplication, ScholarshipCall, ScholarshipStatus

CLOSED = _l("The call is closed: applications can no longer be changed.")
NOT_OPEN_YET = _l("The call opens on a later day.")
WITHDRAWN = _l("This application was withdrawn: it can no longer be changed.")
NOT_ELIGIBLE = _l("Your community does not meet every condition of the call yet: see the conditions above.")
DETERMINED_ALREADY = _l("This application was determined already: nothing was changed.")
STALE = _l("The page was out of date: nothing was changed. Please look again and retry.")


class Refused(Exception):
    """Nothing was saved; `message` tells the person why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CallFields:
    title: str
    purpose: str
    stage_id: int
    budget: Money
    max_per_community: Money
    opens_on: date
    closes_on: date
    progress_report_due: date | None
    final_report_due: date | None
    tranche_plan: list[dict]


def _fill(call: ScholarshipCall, fields: CallFields) -> None:
    call.title = fields.title
    call.purpose = fields.purpose
    call.stage_id = fields.stage_id
    call.budget_minor, call.budget_currency = fields.budget.amount_minor, fields.budget.currency
    call.max_per_community_minor = fields.max_per_community.amount_minor
    call.opens_on, call.closes_on = fields.opens_on, fields.closes_on
    call.progress_report_due, call.final_report_due = fields.progress_report_due, fields.final_report_due
    call.tranche_plan = fields.tranche_plan


def open_call(programme, fields: CallFields, actor: User) -> ScholarshipCall:
    questionnaire = questionnaires.create(programme.organisation_id)
    call = ScholarshipCall(organisation_id=programme.organisation_id, programme_id=programme.id,
                           questionnaire_id=questionnaire.id)
    _fill(call, fields)
    db.session.add(call)
    db.session.flush()
    record("scholarships.call_opened", actor=actor, organisation_id=call.organisation_id, call_id=call.id,
           programme_id=programme.id)
    db.session.commit()
    return call


def change_call(call: ScholarshipCall, fields: CallFields, actor: User) -> None:
    if fields.budget.currency != call.budget_currency and _applications_exist(call):
        raise Refused(_l("Communities have applied in %(currency)s: the currency stays.", currency=call.budget_currency))
    _fill(call, fields)
    record("scholarships.call_changed", actor=actor, organisation_id=call.organisation_id, call_id=call.id)
    db.session.commit()


def _applications_exist(call: ScholarshipCall) -> bool:
    return db.session.scalar(
        select(ScholarshipApplication.id).where(ScholarshipApplication.call_id == call.id).limit(1)) is not None


# --- The call's questions ---------------------------------------------------------------------------


def _questions_changed(call: ScholarshipCall, actor: User, question_id: int, change: str,
                       questionnaire=None) -> None:
    reports = questionnaire is not None and questionnaire.id == call.report_questionnaire_id
    record("scholarships.report_questions_changed" if reports else "scholarships.questions_changed", actor=actor,
           organisation_id=call.organisation_id, call_id=call.id, question_id=question_id, change=change)
    db.session.commit()


# `questionnaire`: the call's application questions (by default) or its report questions.


def add_question(call: ScholarshipCall, fields: QuestionFields, actor: User, *, expected_count: int | None,
                 questionnaire=None) -> Question:
    try:
        question = questionnaires.add_question(questionnaire or call.questionnaire, fields,
                                               expected_count=expected_count)
    except questionnaires.Refused:
        db.session.rollback()
        raise
    _questions_changed(call, actor, question.id, "added", questionnaire)
    return question


def change_question(call: ScholarshipCall, question: Question, fields: QuestionFields, actor: User,
                    questionnaire=None) -> None:
    questionnaires.change_question(questionnaire or call.questionnaire, question, fields)
    _questions_changed(call, actor, question.id, "changed", questionnaire)


def move_question(call: ScholarshipCall, question: Question, actor: User, *, direction: str, position: int,
                  questionnaire=None) -> None:
    try:
        questionnaires.move_question(questionnaire or call.questionnaire, question, direction=direction,
                                     position=position)
    except questionnaires.Refused:
        db.session.rollback()
        raise
    _questions_changed(call, actor, question.id, "moved", questionnaire)


def remove_question(call: ScholarshipCall, question: Question, actor: User, questionnaire=None) -> bool:
    question_id = question.id
    if not questionnaires.remove_question(questionnaire or call.questionnaire, question):
        return False
    _questions_changed(call, actor, question_id, "removed", questionnaire)
    return True


# --- Applications -------------------------------------------------------------------------------------


def _budgets_add_up(call: ScholarshipCall, requested: Money | None, answers: dict) -> None:
    """Every budget table answered adds up to the amount requested."""
    for question in call.questionnaire.questions:
        if question.kind != QuestionKind.BUDGET:
            continue
        budget = answers.get(str(question.id))
        if not budget or requested is None:
            continue
        total = Money(budget["total_minor"], budget["currency"])
        if total != requested:
            raise Refused(_l("The budget “%(question)s” adds up to %(total)s, not to the %(requested)s requested.",
                             question=question.label, total=format_money(total), requested=format_money(requested)))


def save_application(call: ScholarshipCall, community_id: int, *, requested: Money | None, answers: dict,
                     submit: bool, actor: User) -> ScholarshipApplication:
    """Keep the community's application as a draft, or submit it (again, changed, until the closing day)."""
    application = db.session.scalar(select(ScholarshipApplication).where(
        ScholarshipApplication.tenant_id == community_id, ScholarshipApplication.call_id == call.id))
    status = application.status if application is not None else None
    if status == ScholarshipStatus.WITHDRAWN:
        raise Refused(WITHDRAWN)
    if status in DETERMINED:
        raise Refused(DETERMINED_ALREADY)
    # Sent back with a question, the application is answered whatever the day; otherwise within the call's days.
    if status != ScholarshipStatus.MORE_INFORMATION:
        if today() < call.opens_on:
            raise Refused(NOT_OPEN_YET)
        if today() > call.closes_on:
            raise Refused(CLOSED)
    submitting = submit or status in (ScholarshipStatus.SUBMITTED, ScholarshipStatus.MORE_INFORMATION)
    if submitting:
        if not eligibility.all_met(eligibility.conditions(call, community_id)):
            raise Refused(NOT_ELIGIBLE)
        _budgets_add_up(call, requested, answers)
    created = application is None
    if created:
        application = ScholarshipApplication(tenant_id=community_id, organisation_id=call.organisation_id,
                                             call_id=call.id, status=ScholarshipStatus.DRAFT)
    application.requested_minor = requested.amount_minor if requested else None
    application.requested_currency = requested.currency if requested else None
    application.answers = answers
    application.questions_version = questionnaires.answered_version(call.questionnaire)
    application.updated_at = now()
    first_submission = submitting and application.status in (ScholarshipStatus.DRAFT,
                                                              ScholarshipStatus.MORE_INFORMATION)
    if submitting:
        application.status = ScholarshipStatus.SUBMITTED
        application.submitted_at = application.submitted_at or now()
    try:
        with db.session.begin_nested():
            db.session.add(application)
            db.session.flush()
    except IntegrityError:  # the same form sent twice at once made the application first
        db.session.rollback()
        raise Refused(STALE) from None
    action = ("scholarships.application_submitted" if first_submission else
              "scholarships.application_changed" if submitting else "scholarships.application_drafted")
    record(action, actor=actor, organisation_id=call.organisation_id, community_id=community_id,
           call_id=call.id, application_id=application.id)
    db.session.commit()
    return application


def withdraw(application: ScholarshipApplication, actor: User) -> bool:
    """Withdraw the application until it is determined; False when it was withdrawn (or determined) already."""
    withdrawn = db.session.execute(
        update(ScholarshipApplication)
        .where(ScholarshipApplication.id == application.id,
               ScholarshipApplication.status.not_in([ScholarshipStatus.WITHDRAWN, *DETERMINED]))
        .values(status=ScholarshipStatus.WITHDRAWN, withdrawn_at=now())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(application)
    if withdrawn != 1:
        return False
    record("scholarships.application_withdrawn", actor=actor, organisation_id=application.organisation_id,
           community_id=application.tenant_id, call_id=application.call_id, application_id=application.id)
    db.session.commit()
    return True
