"""A community's coordinators see the scholarship calls of the programmes it takes part in, whether the
community may apply (each condition with its reason), and write, submit, change or withdraw its application."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hromada.clock import today
from hromada.extensions import db
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.questionnaires.forms import answers_data, collected_answers, field_name
from hromada.money import Money
from hromada.modules.scholarships import eligibility, forms, operations, reports, tranches
from hromada.modules.scholarships.labels import STATUS_LABELS
from hromada.modules.scholarships.models import DETERMINED, ScholarshipApplication, ScholarshipCall, ScholarshipStatus


def _programme_ids(community_id: int) -> list[int]:
    return list(db.session.scalars(select(Enrolment.programme_id).where(Enrolment.tenant_id == community_id)))


def index(community_id: int):
    community = db.get_or_404(Community, community_id)
    programme_ids = _programme_ids(community_id)
    found = db.session.scalars(
        select(ScholarshipCall).where(ScholarshipCall.programme_id.in_(programme_ids))
        .order_by(ScholarshipCall.closes_on.desc(), ScholarshipCall.id)).all() if programme_ids else []
    statuses = dict(db.session.execute(
        select(ScholarshipApplication.call_id, ScholarshipApplication.status)
        .where(ScholarshipApplication.tenant_id == community_id)).all())
    return render_template("scholarships/community_calls.html", community=community, calls=found, statuses=statuses,
                           status_labels=STATUS_LABELS, today=today())


def _call_or_404(community_id: int, call_id: int) -> ScholarshipCall:
    """A call of a programme the community takes part in (another's is not found)."""
    programme_ids = _programme_ids(community_id)
    call = db.session.scalar(select(ScholarshipCall).where(
        ScholarshipCall.id == call_id, ScholarshipCall.programme_id.in_(programme_ids))) if programme_ids else None
    if call is None:
        abort(404)
    return call


def _application_of(community_id: int, call: ScholarshipCall) -> ScholarshipApplication | None:
    return db.session.scalar(select(ScholarshipApplication).where(
        ScholarshipApplication.tenant_id == community_id, ScholarshipApplication.call_id == call.id))


def apply(community_id: int, call_id: int):
    community = db.get_or_404(Community, community_id)
    call = _call_or_404(community_id, call_id)
    application = _application_of(community_id, call)
    conditions = eligibility.conditions(call, community_id)
    questions = call.questionnaire.questions
    posted = request.method == "POST"
    submit = posted and request.form.get("action") == "submit"
    # A draft keeps what is answered so far; sending (or changing what was sent) needs every required answer.
    status_now = application.status if application is not None else None
    keeps_sent = status_now in (ScholarshipStatus.SUBMITTED, ScholarshipStatus.MORE_INFORMATION)
    form_class = forms.application_form_class(call.max_per_community, questions, community_id=community_id,
                                              draft=posted and not submit and not keeps_sent)
    if posted:
        form = form_class()
    else:
        data = answers_data(questions, application.answers) if application else {}
        if application is not None and application.requested is not None:
            data["requested"] = application.requested
        form = form_class(formdata=None, data=data)
    status = 200
    if posted:
        if form.validate():
            try:
                operations.save_application(
                    call, community_id, requested=form.requested.data if isinstance(form.requested.data, Money) else None,
                    answers=collected_answers(form, questions), submit=submit, actor=current_user)
            except operations.Refused as refused:
                form.form_errors.append(refused.message)
            else:
                flash(_("The application is sent. You can change it until the call closes.") if submit or keeps_sent
                      else _("The draft is kept. Send it when it is ready."), "info")
                return redirect(url_for("scholarships.apply", community_id=community_id, call_id=call.id))
        status = 400
    return render_template(
        "scholarships/apply.html", community=community, call=call, application=application, conditions=conditions,
        eligible=eligibility.all_met(conditions), form=form, questions=questions, field_name=field_name,
        status_labels=STATUS_LABELS, open_now=call.is_open(today()), confirm=forms.ConfirmForm(formdata=None),
        tranches=tranches.schedule_of(application.id) if status_now == ScholarshipStatus.APPROVED else [],
        condition_labels=forms.TRANCHE_CONDITION_LABELS,
        asked_reports=reports.asked_kinds(call), report_due=reports.due_on, report_kind_labels=reports.KIND_LABELS,
        report_status_labels=reports.STATUS_LABELS,
        reports=reports.reports_of(application.id) if status_now == ScholarshipStatus.APPROVED else {},
        editable=status_now not in (ScholarshipStatus.WITHDRAWN, *DETERMINED) and (
            call.is_open(today()) or status_now == ScholarshipStatus.MORE_INFORMATION),
    ), status


def withdraw(community_id: int, call_id: int):
    call = _call_or_404(community_id, call_id)
    application = _application_of(community_id, call)
    if application is None:
        abort(404)
    if not forms.ConfirmForm().validate():
        abort(400)
    if operations.withdraw(application, current_user):
        flash(_("The application is withdrawn."), "info")
    return redirect(url_for("scholarships.apply", community_id=community_id, call_id=call.id))
