"""Progress and final reports of a funded community, through the questionnaire engine.

The call's operators set the report questions (one questionnaire for both reports) and the due dates;
a report of a kind is asked when the call has its due date. The community keeps a draft and submits it;
an operator approves it, which releases the tranches waiting for that report in the same transaction, or
returns it with a comment, and the community changes it and submits again. Each step is audited and the
other side is notified in the app. Every change is a conditional update from the status the page showed,
so a form sent twice is stored once; the schedule closes once the final report is approved.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership, StaffRole, User
from hromada.modules.audit.log import record
from hromada.modules.notifications.service import notify
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.models import Questionnaire
from hromada.modules.scholarships import tranches
from hromada.modules.scholarships.models import (
    REPORT_CONDITIONS,
    ReportKind,
    ReportStatus,
    ScholarshipApplication,
    ScholarshipCall,
    ScholarshipReport,
    ScholarshipStatus,
)
from hromada.modules.scholarships.operations import STALE, Refused

NOT_FUNDED = _l("Only an approved scholarship is reported on: nothing was saved.")
NOT_ASKED = _l("The call asks for no such report: nothing was saved.")
SCHEDULE_CLOSED = _l("The final report is approved: the reporting of this scholarship is closed, nothing was saved.")
APPROVED_ALREADY = _l("This report is approved already: nothing was changed.")
SUBMITTED_ALREADY = _l("This report is submitted and waits for the organisers: nothing was changed.")
NOT_SUBMITTED = _l("This report is not waiting for a decision (decided already, or not submitted): "
                   "nothing was changed.")

# Notifications are read in the recipient's language later: one whole message per kind of report.
SUBMITTED_NOTICE = {
    ReportKind.PROGRESS: _l("A community submitted its progress report for the scholarship call “%(call)s”."),
    ReportKind.FINAL: _l("A community submitted its final report for the scholarship call “%(call)s”."),
}
APPROVED_NOTICE = {
    ReportKind.PROGRESS: _l("Your progress report for the scholarship call “%(call)s” is approved."),
    ReportKind.FINAL: _l("Your final report for the scholarship call “%(call)s” is approved."),
}
RETURNED_NOTICE = {
    ReportKind.PROGRESS: _l("Your progress report for the scholarship call “%(call)s” is returned with a comment: "
                            "change it and submit it again."),
    ReportKind.FINAL: _l("Your final report for the scholarship call “%(call)s” is returned with a comment: "
                         "change it and submit it again."),
}

KIND_LABELS = {ReportKind.PROGRESS.value: _l("Progress report"), ReportKind.FINAL.value: _l("Final report")}
STATUS_LABELS = {
    ReportStatus.DRAFT.value: _l("Draft: not submitted yet"),
    ReportStatus.SUBMITTED.value: _l("Submitted: waits for the organisers"),
    ReportStatus.RETURNED.value: _l("Returned with a comment"),
    ReportStatus.APPROVED.value: _l("Approved"),
}


def due_on(call: ScholarshipCall, kind: ReportKind):
    return call.progress_report_due if kind == ReportKind.PROGRESS else call.final_report_due


def asked_kinds(call: ScholarshipCall) -> list[ReportKind]:
    """The reports the call asks for: those with a due date."""
    return [kind for kind in ReportKind if due_on(call, kind) is not None]


def report_questions(call: ScholarshipCall) -> list:
    return list(call.report_questionnaire.questions) if call.report_questionnaire_id else []


def report_questionnaire(call: ScholarshipCall) -> Questionnaire:
    """The call's report questionnaire, made when the operator asks the first question (not committed)."""
    if call.report_questionnaire_id is None:
        call.report_questionnaire = questionnaires.create(call.organisation_id)
        db.session.flush()
    return call.report_questionnaire


def reports_of(application_id: int) -> dict[ReportKind, ScholarshipReport]:
    return {report.kind: report for report in db.session.scalars(
        select(ScholarshipReport).where(ScholarshipReport.application_id == application_id))}


def _closed(application: ScholarshipApplication) -> bool:
    """The final report is approved: nothing more is reported."""
    return db.session.scalar(select(ScholarshipReport.id).where(
        ScholarshipReport.application_id == application.id, ScholarshipReport.kind == ReportKind.FINAL,
        ScholarshipReport.status == ReportStatus.APPROVED)) is not None


def refusal(call: ScholarshipCall, application: ScholarshipApplication | None, kind: ReportKind) -> object | None:
    """Why the community cannot write this report now (None: it can)."""
    if application is None or application.status != ScholarshipStatus.APPROVED:
        return NOT_FUNDED
    if kind not in asked_kinds(call):
        return NOT_ASKED
    if _closed(application):
        return SCHEDULE_CLOSED
    return None


def save(call: ScholarshipCall, application: ScholarshipApplication, kind: ReportKind, *, answers: dict,
         submit: bool, actor: User) -> ScholarshipReport:
    """Keep the report as a draft or submit it; a returned report is changed and submitted again."""
    reason = refusal(call, application, kind)
    if reason is not None:
        raise Refused(reason)
    version = questionnaires.answered_version(call.report_questionnaire)
    report = reports_of(application.id).get(kind)
    values = {"answers": answers, "questions_version": version, "updated_at": now()}
    if submit:
        values.update(status=ReportStatus.SUBMITTED, submitted_at=now(),
                      submissions=ScholarshipReport.submissions + 1)
    if report is None:
        report = ScholarshipReport(tenant_id=application.tenant_id, organisation_id=application.organisation_id,
                                   call_id=call.id, application_id=application.id, kind=kind,
                                   status=ReportStatus.DRAFT, submissions=0)
        try:
            with db.session.begin_nested():
                db.session.add(report)
                db.session.flush()
        except IntegrityError:  # the same form sent twice at once made the report first
            db.session.rollback()
            raise Refused(STALE) from None
    # Only from a status the community may change: a second submit finds it submitted and changes nothing.
    changed = db.session.execute(
        update(ScholarshipReport)
        .where(ScholarshipReport.id == report.id,
               ScholarshipReport.status.in_([ReportStatus.DRAFT, ReportStatus.RETURNED]))
        .values(**values).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        db.session.rollback()
        db.session.expire_all()
        raise Refused(APPROVED_ALREADY if report.status == ReportStatus.APPROVED else SUBMITTED_ALREADY)
    db.session.expire(report)
    record("scholarships.report_submitted" if submit else "scholarships.report_drafted", actor=actor,
           organisation_id=application.organisation_id, community_id=application.tenant_id, call_id=call.id,
           application_id=application.id, report_id=report.id, kind=kind.value)
    if submit:
        notify(_operators(call.organisation_id),
               key=f"scholarships.report:{report.id}:submitted:{report.submissions}",
               message=SUBMITTED_NOTICE[kind], params={"call": call.title},
               link=url_for("scholarship_reports.show", organisation_id=call.organisation_id,
                            programme_id=call.programme_id, call_id=call.id,
                            scholarship_application_id=application.id, report_kind=kind.value))
    db.session.commit()
    return report


def _decided(report: ScholarshipReport, status: ReportStatus, actor: User, comment: str) -> None:
    values = {"status": status, "comment": comment, "decided_by_id": actor.id, "updated_at": now()}
    values["approved_at" if status == ReportStatus.APPROVED else "returned_at"] = now()
    changed = db.session.execute(
        update(ScholarshipReport)
        .where(ScholarshipReport.id == report.id, ScholarshipReport.status == ReportStatus.SUBMITTED)
        .values(**values).execution_options(synchronize_session=False)).rowcount
    if changed != 1:  # decided meanwhile, or the same form sent twice
        db.session.rollback()
        raise Refused(NOT_SUBMITTED)


def approve(call: ScholarshipCall, report: ScholarshipReport, actor: User, *, comment: str = "") -> int:
    """Approve a submitted report and release the tranches waiting for it, together; how many were released."""
    _decided(report, ReportStatus.APPROVED, actor, comment)
    released = tranches.release(report.application_id, REPORT_CONDITIONS[report.kind])
    record("scholarships.report_approved", actor=actor, organisation_id=report.organisation_id,
           community_id=report.tenant_id, call_id=call.id, application_id=report.application_id,
           report_id=report.id, kind=report.kind.value, tranches_released=released)
    _tell_the_coordinators(call, report, "approved", APPROVED_NOTICE)
    db.session.commit()
    db.session.expire(report)
    return released


def send_back(call: ScholarshipCall, report: ScholarshipReport, actor: User, *, comment: str) -> None:
    """Return a submitted report with a comment: the community changes it and submits it again."""
    _decided(report, ReportStatus.RETURNED, actor, comment)
    record("scholarships.report_returned", actor=actor, organisation_id=report.organisation_id,
           community_id=report.tenant_id, call_id=call.id, application_id=report.application_id,
           report_id=report.id, kind=report.kind.value)
    _tell_the_coordinators(call, report, f"returned:{report.submissions}", RETURNED_NOTICE)
    db.session.commit()
    db.session.expire(report)


def coordinators_of(community_id: int) -> list[int]:
    with tenancy.scope(reader_tenants=frozenset({community_id})):
        return list(db.session.scalars(select(CommunityMembership.user_id).where(
            CommunityMembership.tenant_id == community_id, CommunityMembership.role == CommunityRole.COORDINATOR)))


def _operators(organisation_id: int) -> list[int]:
    return list(db.session.scalars(select(StaffMembership.user_id).where(
        StaffMembership.organisation_id == organisation_id, StaffMembership.role == StaffRole.OPERATOR)))


def _tell_the_coordinators(call: ScholarshipCall, report: ScholarshipReport, event: str, message) -> None:
    notify(coordinators_of(report.tenant_id), key=f"scholarships.report:{report.id}:{event}",
           message=message[report.kind], params={"call": call.title},
           link=url_for("scholarship_reports.write", community_id=report.tenant_id, call_id=call.id,
                        report_kind=report.kind.value))
