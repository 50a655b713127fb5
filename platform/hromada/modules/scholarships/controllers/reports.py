"""Reports of funded communities: the operators' report questions and their reading and decision of a report,
and the community's own page where its coordinators write, submit and resubmit it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hromada.extensions import db
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community
from hromada.modules.programmes.util import programme_or_404
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.forms import (
    QUESTION_KIND_LABELS,
    QUESTIONS_MAX,
    answers_data,
    collected_answers,
    field_name,
    question_form_class,
)
from hromada.modules.scholarships import forms, operations, reports
from hromada.modules.scholarships.controllers.applying import _application_of, _call_or_404
from hromada.modules.scholarships.controllers.questions import QuestionList, languages_of
from hromada.modules.scholarships.controllers.calls import (
    _application_or_404,
    _community_names,
    call_or_404,
    call_url,
)
from hromada.modules.scholarships.models import ReportKind, ReportStatus, ScholarshipCall


def _kind(report_kind: str) -> ReportKind:
    try:
        return ReportKind(report_kind)
    except ValueError:
        abort(404)


# --- The operators' report questions ------------------------------------------------------------------


def _questions_url(call: ScholarshipCall) -> str:
    return call_url(call, "scholarship_reports.questions")


def questions(organisation_id: int, programme_id: int, call_id: int, question_form=None, status: int = 200):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    found = reports.report_questions(call)
    languages = languages_of(call)
    if question_form is None:
        question_form = question_form_class(languages)(formdata=None, data={"question_count": len(found)})
    return render_template(
        "scholarships/report_questions.html", programme=programme, organisation=programme.organisation, call=call,
        questions=found, question_form=question_form, kind_labels=QUESTION_KIND_LABELS, questions_max=QUESTIONS_MAX,
        languages=languages, asked=reports.asked_kinds(call), kind_labels_of_reports=reports.KIND_LABELS,
        due_on=reports.due_on), status


# The reports' questions: the same four actions as the application's (controllers/questions.py).
REPORT_QUESTIONS = QuestionList(
    questionnaire_id=lambda call: call.report_questionnaire_id, questionnaire_for_new=reports.report_questionnaire,
    questionnaire=lambda call: call.report_questionnaire, url=_questions_url,
    redisplay=lambda *arguments, **options: questions(*arguments, **options), call_or_404=call_or_404)


def add_question(organisation_id: int, programme_id: int, call_id: int):
    return REPORT_QUESTIONS.add(organisation_id, programme_id, call_id)


def edit_question(organisation_id: int, programme_id: int, call_id: int, question_id: int):
    return REPORT_QUESTIONS.edit(organisation_id, programme_id, call_id, question_id)


def move_question(organisation_id: int, programme_id: int, call_id: int, question_id: int):
    return REPORT_QUESTIONS.move(organisation_id, programme_id, call_id, question_id)


def remove_question(organisation_id: int, programme_id: int, call_id: int, question_id: int):
    return REPORT_QUESTIONS.remove(organisation_id, programme_id, call_id, question_id)


# --- The operators' reading and decision ----------------------------------------------------------------


def show(organisation_id: int, programme_id: int, call_id: int, scholarship_application_id: int, report_kind: str,
         decision_form=None, status: int = 200):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    application = _application_or_404(call, scholarship_application_id)
    report = reports.reports_of(application.id).get(_kind(report_kind))
    if report is None or report.status == ReportStatus.DRAFT:  # a draft stays the community's own
        abort(404)
    record("scholarships.read_report", organisation_id=organisation_id, call_id=call.id,
           application_id=application.id, community_id=application.tenant_id, report_id=report.id)
    db.session.commit()
    return render_template(
        "scholarships/report_review.html", programme=programme, organisation=programme.organisation, call=call,
        application=application, report=report, name=_community_names({application.tenant_id}).get(
            application.tenant_id, "—"),
        frozen=questionnaires.versions_of(call.report_questionnaire_id).get(report.questions_version, []),
        kind_labels=reports.KIND_LABELS, status_labels=reports.STATUS_LABELS,
        due=reports.due_on(call, report.kind),
        decision_form=decision_form or forms.ReportDecisionForm(formdata=None)), status


def decide(organisation_id: int, programme_id: int, call_id: int, scholarship_application_id: int,
           report_kind: str):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    application = _application_or_404(call, scholarship_application_id)
    report = reports.reports_of(application.id).get(_kind(report_kind))
    if report is None or report.status == ReportStatus.DRAFT:
        abort(404)
    form = forms.ReportDecisionForm()
    back = call_url(call, "scholarship_reports.show", scholarship_application_id=application.id,
                    report_kind=report.kind.value)
    if form.validate():
        comment = (form.comment.data or "").strip()
        try:
            if form.decision.data == "approve":
                released = reports.approve(call, report, current_user, comment=comment)
                flash(_("The report is approved.") + (" " + _("The tranche waiting for it is released: record its "
                                                              "payment when it is made.") if released else ""), "info")
            else:
                reports.send_back(call, report, current_user, comment=comment)
                flash(_("The report is returned to the community with your comment."), "info")
        except operations.Refused as refused:  # decided already: the same form sent twice
            flash(refused.message, "info")
        return redirect(back)
    return show(organisation_id, programme_id, call_id, scholarship_application_id, report_kind, decision_form=form,
                status=400)


# --- The community's report -------------------------------------------------------------------------------


def write(community_id: int, call_id: int, report_kind: str):
    community = db.get_or_404(Community, community_id)
    call = _call_or_404(community_id, call_id)
    kind = _kind(report_kind)
    application = _application_of(community_id, call)
    report = reports.reports_of(application.id).get(kind) if application is not None else None
    refusal = reports.refusal(call, application, kind)
    questions_asked = reports.report_questions(call)
    posted = request.method == "POST"
    submit = posted and request.form.get("action") == "submit"
    form_class = forms.report_form_class(questions_asked, community_id=community_id, draft=posted and not submit)
    form = form_class() if posted else form_class(
        formdata=None, data=answers_data(questions_asked, report.answers) if report else {})
    editable = refusal is None and (report is None or report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED))
    status = 200
    if posted:
        if refusal is not None:
            form.form_errors.append(refusal)
        elif form.validate():
            try:
                reports.save(call, application, kind, answers=collected_answers(form, questions_asked), submit=submit,
                             actor=current_user)
            except operations.Refused as refused:
                if refused.message in (reports.SUBMITTED_ALREADY, reports.APPROVED_ALREADY):
                    flash(refused.message, "info")  # the same form sent twice: stored once, the page shows it
                    return redirect(url_for("scholarship_reports.write", community_id=community_id, call_id=call.id,
                                            report_kind=kind.value))
                form.form_errors.append(refused.message)
            else:
                flash(_("The report is submitted: the organisers will read it.") if submit
                      else _("The draft is kept. Submit it when it is ready."), "info")
                return redirect(url_for("scholarship_reports.write", community_id=community_id, call_id=call.id,
                                        report_kind=kind.value))
        status = 400
    frozen = questionnaires.versions_of(call.report_questionnaire_id).get(report.questions_version, []) \
        if report is not None and not editable else []
    return render_template(
        "scholarships/report.html", community=community, call=call, kind=kind, report=report, refusal=refusal,
        form=form, questions=questions_asked, field_name=field_name, editable=editable, frozen=frozen,
        due=reports.due_on(call, kind), kind_labels=reports.KIND_LABELS, status_labels=reports.STATUS_LABELS,
    ), status
