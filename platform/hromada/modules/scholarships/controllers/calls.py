"""Operators run a programme's scholarship calls: the list, a new call, its settings and questions, and the
applications communities submitted (each reading of one is audited)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from hromada import tenancy
from hromada.clock import today
from hromada.extensions import db
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community
from hromada.modules.programmes.models import Programme
from hromada.modules.programmes.util import programme_or_404, stage_types
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.forms import (
    QUESTION_KIND_LABELS,
    QUESTIONS_MAX,
    question_form_class,
)
from hromada.money import amount_for_input
from hromada.money import Money as money_of
from hromada.modules.scholarships import budget, forms, listing, operations, reports, review, tranches
from hromada.modules.scholarships.controllers.questions import QuestionList, languages_of
from hromada.modules.scholarships.labels import REVIEW_LABELS, STATUS_LABELS
from hromada.modules.scholarships.models import (
    Criterion,
    Review,
    ReviewStatus,
    ScholarshipApplication,
    ScholarshipCall,
    ScholarshipStatus,
    Tranche,
    TrancheCondition,
)
from hromada.modules.scholarships.models import DEFAULT_TRANCHE_PLAN
from hromada.modules.scholarships.summary import AGREEMENT, summarise, weighted_total


def call_url(call: ScholarshipCall, endpoint: str = "scholarships.show", **values) -> str:
    return url_for(endpoint, organisation_id=call.organisation_id, programme_id=call.programme_id, call_id=call.id,
                   **values)


def call_or_404(programme: Programme, call_id: int) -> ScholarshipCall:
    call = db.session.scalar(select(ScholarshipCall).where(
        ScholarshipCall.id == call_id, ScholarshipCall.programme_id == programme.id,
        ScholarshipCall.organisation_id == programme.organisation_id))
    if call is None:
        abort(404)
    return call


def _stages(programme: Programme) -> list[tuple[int, str]]:
    kinds = stage_types()
    return [(stage.id, stage.title or str(getattr(kinds.get(stage.stage_type), "title", stage.stage_type)))
            for stage in programme.stages]


def index(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    found = db.session.scalars(select(ScholarshipCall).where(ScholarshipCall.programme_id == programme.id)
                               .order_by(ScholarshipCall.closes_on.desc(), ScholarshipCall.id)).all()
    submitted = dict(db.session.execute(
        select(ScholarshipApplication.call_id, func.count(ScholarshipApplication.id))
        .where(ScholarshipApplication.organisation_id == programme.organisation_id,
               ScholarshipApplication.status == ScholarshipStatus.SUBMITTED)
        .group_by(ScholarshipApplication.call_id)).all())
    return render_template("scholarships/calls.html", programme=programme, organisation=programme.organisation,
                           calls=found, submitted=submitted)


def _fields(form: forms.CallForm) -> operations.CallFields:
    return operations.CallFields(
        title=form.title.data.strip(), purpose=form.purpose.data.strip(), stage_id=int(form.stage_id.data),
        budget=form.budget.data, max_per_community=form.maximum, opens_on=form.opens_on.data,
        closes_on=form.closes_on.data, progress_report_due=form.progress_report_due.data,
        final_report_due=form.final_report_due.data, tranche_plan=form.tranche_plan(),
    )


def _plan_data(plan: list[dict]) -> dict:
    data = {}
    for number, step in enumerate(plan, start=1):
        data[f"tranche_{number}_share"], data[f"tranche_{number}_condition"] = step["share"], step["condition"]
    return data


def new(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    posted = request.method == "POST"
    form = forms.CallForm(data=None if posted else _plan_data(list(DEFAULT_TRANCHE_PLAN)), stages=_stages(programme))
    if form.validate_on_submit():
        call = operations.open_call(programme, _fields(form), current_user)
        flash(_("The call is opened. Add its questions."), "info")
        return redirect(call_url(call))
    return render_template("scholarships/call_form.html", programme=programme, organisation=programme.organisation,
                           form=form, call=None), (400 if form.is_submitted() else 200)


def edit(organisation_id: int, programme_id: int, call_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    posted = request.method == "POST"
    data = None if posted else {
        "title": call.title, "purpose": call.purpose, "stage_id": str(call.stage_id), "budget": call.budget,
        "max_per_community": amount_for_input(call.max_per_community), "opens_on": call.opens_on,
        "closes_on": call.closes_on, "progress_report_due": call.progress_report_due,
        "final_report_due": call.final_report_due, **_plan_data(call.tranche_plan),
    }
    form = forms.CallForm(data=data, stages=_stages(programme))
    if posted and form.validate():
        try:
            operations.change_call(call, _fields(form), current_user)
        except operations.Refused as refused:
            form.budget.errors.append(refused.message)
        else:
            flash(_("The call is saved."), "info")
            return redirect(call_url(call))
    return render_template("scholarships/call_form.html", programme=programme, organisation=programme.organisation,
                           form=form, call=call), (400 if posted else 200)


def show(organisation_id: int, programme_id: int, call_id: int, question_form=None, criterion_form=None,
         status: int = 200):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    questions = call.questionnaire.questions
    languages = languages_of(call)
    if question_form is None:
        question_form = question_form_class(languages)(formdata=None, data={"question_count": len(questions)})
    # Drafts stay the community's own: operators see what was submitted or withdrawn (listing.py).
    counts = listing.application_counts(call)
    return render_template(
        "scholarships/call.html", programme=programme, organisation=programme.organisation, call=call,
        questions=questions, question_form=question_form, kind_labels=QUESTION_KIND_LABELS,
        questions_max=QUESTIONS_MAX, languages=languages, counts=counts, status_labels=STATUS_LABELS, stage_types=stage_types(), confirm=forms.ConfirmForm(formdata=None),
        criteria=db.session.scalars(select(Criterion).where(Criterion.call_id == call.id)
                                    .order_by(Criterion.position)).all(),
        criterion_form=criterion_form or forms.CriterionForm(formdata=None),
    ), status


def applications(organisation_id: int, programme_id: int, call_id: int):
    """The call's applications, 50 a page, filtered by status and sorted by date, weighted mean or amount."""
    found = listing.call_of(organisation_id, programme_id, call_id)
    if found is None:
        abort(404)
    call, programme = found
    form = forms.ApplicationListForm(request.args)
    form.validate()
    status = form.status.data if form.status.data and not form.status.errors else None
    sort = form.sort.data if form.sort.data and not form.sort.errors else listing.SORTS[0]
    counts = listing.application_counts(call)
    page = listing.applications_page(call, status=status, sort=sort, number=form.page_number, counts=counts)
    shown = sorted({row.tenant_id for row in page.rows})
    tenancy.allow_reading(shown)  # the names of the communities whose applications are shown
    names = listing.community_names(shown)
    days, amounts, labels = listing.Days(), listing.Amounts(), listing.translated(STATUS_LABELS)
    agreements = listing.translated(AGREEMENT)
    spread = _("spread %(spread)s")  # translated once, filled in for each row
    link = listing.row_links("scholarships.application", "scholarship_application_id",
                             organisation_id=organisation_id, programme_id=programme.id, call_id=call.id)
    rows = []
    for row in page.rows:
        summary = row.summary
        status_text = labels[row.status.value]
        if row.approved_minor is not None:
            status_text += ": " + amounts(row.approved_minor, call.budget_currency)
        rows.append((
            link(row.id), names.get(row.tenant_id, "—"),
            amounts(row.requested_minor, row.requested_currency) or "—",
            status_text, f"{summary.mean} ({summary.reviews})" if summary.reviews else "—",
            f"{agreements[summary.agreement]} ({spread % {'spread': summary.spread}})" if summary.agreement else "—",
            days(row.submitted_at) or "—"))
    return render_template(
        "scholarships/applications.html", programme=programme, organisation_id=organisation_id, call=call,
        form=form, query=form.query(), page=page, rows=rows, counts=counts, status_labels=labels,
    ), (400 if form.errors else 200)


def _community_names(community_ids: set[int]) -> dict[int, str]:
    """The names of the communities that applied: a read of their data, allowed through their applications."""
    if not community_ids:
        return {}
    ids = sorted(community_ids)
    tenancy.allow_reading(ids)
    return dict(db.session.execute(select(Community.id, Community.name).where(Community.id.in_(ids))).all())


# The application's questions: the same four actions as the reports' (controllers/questions.py).
APPLICATION_QUESTIONS = QuestionList(
    questionnaire_id=lambda call: call.questionnaire_id, questionnaire_for_new=lambda call: call.questionnaire,
    questionnaire=lambda call: call.questionnaire, url=lambda call: call_url(call),
    redisplay=lambda *arguments, **options: show(*arguments, **options), call_or_404=lambda *a: call_or_404(*a))


def add_question(organisation_id: int, programme_id: int, call_id: int):
    return APPLICATION_QUESTIONS.add(organisation_id, programme_id, call_id)


def edit_question(organisation_id: int, programme_id: int, call_id: int, question_id: int):
    return APPLICATION_QUESTIONS.edit(organisation_id, programme_id, call_id, question_id)


def move_question(organisation_id: int, programme_id: int, call_id: int, question_id: int):
    return APPLICATION_QUESTIONS.move(organisation_id, programme_id, call_id, question_id)


def remove_question(organisation_id: int, programme_id: int, call_id: int, question_id: int):
    return APPLICATION_QUESTIONS.remove(organisation_id, programme_id, call_id, question_id)


def _application_or_404(call: ScholarshipCall, application_id: int) -> ScholarshipApplication:
    found = db.session.scalar(select(ScholarshipApplication).where(
        ScholarshipApplication.id == application_id, ScholarshipApplication.call_id == call.id,
        ScholarshipApplication.organisation_id == call.organisation_id,
        ScholarshipApplication.status != ScholarshipStatus.DRAFT))
    if found is None:
        abort(404)
    return found


def application(organisation_id: int, programme_id: int, call_id: int, scholarship_application_id: int,
                assign_form=None, determination_form=None, payment_form=None, milestone_form=None, status: int = 200):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    found = _application_or_404(call, scholarship_application_id)
    record("scholarships.read_application", organisation_id=organisation_id, call_id=call.id,
           application_id=found.id, community_id=found.tenant_id)
    db.session.commit()
    names = _community_names({found.tenant_id})
    criteria = db.session.scalars(select(Criterion).where(Criterion.call_id == call.id)
                                  .order_by(Criterion.position)).all()
    reviews = db.session.scalars(select(Review).where(Review.application_id == found.id).order_by(Review.id)).all()
    staff = review.staff_of(organisation_id)
    reviewer_names = {user.id: user.name for user in staff}
    totals = {item.id: weighted_total(item.scores or {}, criteria) for item in reviews}
    schedule = tranches.schedule_of(found.id)
    milestones = tranches.milestones_of(found) if any(
        tranche.condition == TrancheCondition.MILESTONE_DONE for tranche in schedule) else []
    # Tranches are paid in order: the form records the first one released and not paid yet.
    next_payment = next((tranche for tranche in schedule if tranche.released_at and not tranche.paid_on), None)
    return render_template(
        "scholarships/application.html", programme=programme, organisation=programme.organisation, call=call,
        application=found, name=names.get(found.tenant_id, "—"), status_labels=STATUS_LABELS,
        frozen=questionnaires.versions_of(call.questionnaire_id).get(found.questions_version, []),
        criteria=criteria, reviews=reviews, reviewer_names=reviewer_names, totals=totals,
        summary=summarise([totals[item.id] for item in reviews
                           if item.status == ReviewStatus.SUBMITTED and totals[item.id] is not None]),
        recommendation_labels=forms.RECOMMENDATION_LABELS, review_labels=REVIEW_LABELS,
        assign_form=assign_form or forms.AssignForm(formdata=None, staff=[
            user for user in staff if user.id not in {item.reviewer_id for item in reviews}]),
        determination_form=determination_form or forms.determination_form_class(call.budget_currency)(formdata=None),
        committed=money_of(review.committed(call.id), call.budget_currency),
        tranches=schedule, condition_labels=forms.TRANCHE_CONDITION_LABELS,
        next_payment=next_payment, confirm=forms.ConfirmForm(formdata=None),
        payment_form=payment_form or forms.PaymentForm(formdata=None, data={"paid_on": today()}),
        asked_reports=reports.asked_kinds(call) if found.status == ScholarshipStatus.APPROVED else [],
        reports=reports.reports_of(found.id), report_due=reports.due_on, report_kind_labels=reports.KIND_LABELS,
        report_status_labels=reports.STATUS_LABELS, milestone_titles=dict(milestones),
        milestone_form=milestone_form or forms.MilestoneForm(formdata=None, milestones=milestones),
    ), status


def assign_reviewer(organisation_id: int, programme_id: int, call_id: int, scholarship_application_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    found = _application_or_404(call, scholarship_application_id)
    form = forms.AssignForm(staff=review.staff_of(organisation_id))
    if form.validate():
        try:
            review.assign(found, int(form.reviewer_id.data), current_user)
        except operations.Refused as refused:
            form.reviewer_id.errors.append(refused.message)
        else:
            flash(_("The reviewer is assigned."), "info")
            return redirect(call_url(call, "scholarships.application", scholarship_application_id=found.id))
    return application(organisation_id, programme_id, call_id, scholarship_application_id, assign_form=form,
                       status=400)


def determine(organisation_id: int, programme_id: int, call_id: int, scholarship_application_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    found = _application_or_404(call, scholarship_application_id)
    form = forms.determination_form_class(call.budget_currency)()
    if form.validate():
        message = (form.message.data or "").strip()
        try:
            if form.decision.data == "approve":
                review.approve(found, form.amount.data, current_user, message=message)
            elif form.decision.data == "decline":
                review.decline(found, current_user, message=message)
            else:
                review.ask_for_more(found, current_user, question=message)
        except operations.Refused as refused:
            form.decision.errors.append(refused.message)
        else:
            flash(_("The determination is saved and the community can read it."), "info")
            return redirect(call_url(call, "scholarships.application", scholarship_application_id=found.id))
    return application(organisation_id, programme_id, call_id, scholarship_application_id, determination_form=form,
                       status=400)


def add_criterion(organisation_id: int, programme_id: int, call_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    form = forms.CriterionForm()
    if form.validate():
        try:
            review.add_criterion(call, title=form.title.data.strip(), weight=form.weight.data,
                                 guidance=form.guidance(), actor=current_user)
        except operations.Refused as refused:
            flash(refused.message, "error")
        else:
            flash(_("The criterion is added."), "info")
        return redirect(call_url(call))
    return show(organisation_id, programme_id, call_id, criterion_form=form, status=400)


def remove_criterion(organisation_id: int, programme_id: int, call_id: int, criterion_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    criterion = db.session.scalar(select(Criterion).where(Criterion.id == criterion_id, Criterion.call_id == call.id))
    if criterion is None:
        abort(404)
    if not forms.ConfirmForm().validate():
        abort(400)
    try:
        review.remove_criterion(call, criterion, current_user)
    except operations.Refused as refused:
        flash(refused.message, "error")
    return redirect(call_url(call))


def record_payment(organisation_id: int, programme_id: int, call_id: int, scholarship_application_id: int,
                   tranche_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    found = _application_or_404(call, scholarship_application_id)
    tranche = db.session.scalar(select(Tranche).where(Tranche.id == tranche_id, Tranche.application_id == found.id,
                                                      Tranche.organisation_id == organisation_id))
    if tranche is None:
        abort(404)
    form = forms.PaymentForm()
    if form.validate():
        try:
            tranches.record_payment(tranche, paid_on=form.paid_on.data, reference=form.reference.data.strip(),
                                    actor=current_user)
        except operations.Refused as refused:
            if tranche.paid_on is None:  # not released: the form says why
                form.paid_on.errors.append(refused.message)
            else:  # the same form sent twice: recorded once, the page shows it
                flash(refused.message, "info")
                return redirect(call_url(call, "scholarships.application", scholarship_application_id=found.id))
        else:
            flash(_("The payment is recorded."), "info")
            return redirect(call_url(call, "scholarships.application", scholarship_application_id=found.id))
    return application(organisation_id, programme_id, call_id, scholarship_application_id, payment_form=form,
                       status=400)


def choose_milestone(organisation_id: int, programme_id: int, call_id: int, scholarship_application_id: int,
                     tranche_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    found = _application_or_404(call, scholarship_application_id)
    tranche = db.session.scalar(select(Tranche).where(Tranche.id == tranche_id, Tranche.application_id == found.id,
                                                      Tranche.organisation_id == organisation_id))
    if tranche is None or tranche.condition != TrancheCondition.MILESTONE_DONE:
        abort(404)
    form = forms.MilestoneForm(milestones=tranches.milestones_of(found))
    if form.validate():
        try:
            released = tranches.choose_milestone(tranche, int(form.milestone_id.data), current_user)
        except operations.Refused as refused:
            form.milestone_id.errors.append(refused.message)
        else:
            flash(_("The milestone is chosen: every action of it done releases the tranche.") if not released else
                  _("Every action of this milestone is done already: the tranche is released."), "info")
            return redirect(call_url(call, "scholarships.application", scholarship_application_id=found.id))
    return application(organisation_id, programme_id, call_id, scholarship_application_id, milestone_form=form,
                       status=400)


def budget_view(organisation_id: int, programme_id: int, call_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    found = budget.tranches_of(call)
    return render_template("scholarships/budget.html", programme=programme, organisation=programme.organisation,
                           call=call, figures=budget.figures(call), bar_width=budget.BAR_WIDTH, tranches=found,
                           names=_community_names({tranche.tenant_id for tranche in found}),
                           condition_labels=forms.TRANCHE_CONDITION_LABELS)


def budget_csv(organisation_id: int, programme_id: int, call_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    call = call_or_404(programme, call_id)
    found = budget.tranches_of(call)
    names = _community_names({tranche.tenant_id for tranche in found})
    record("scholarships.budget_exported", organisation_id=organisation_id, call_id=call.id)
    db.session.commit()
    header = [_("Community"), _("Application"), _("Tranche"), _("Percent"), _("Amount"), _("Currency"),
              _("Condition"), _("Released on"), _("Paid on"), _("Payment reference")]
    body = "\ufeff" + "".join(budget.tranches_csv(found, names, header))  # the mark: spreadsheets read UTF-8
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="scholarship-call-{call.id}-tranches.csv"'})


def programme_budget(organisation_id: int, programme_id: int):
    """The budget of every call of the programme: committed, paid and remaining, call by call and in total."""
    programme = programme_or_404(organisation_id, programme_id)
    rows, totals = budget.programme_figures(organisation_id, programme.id)
    largest = {}
    for row in rows:  # each currency's bars are drawn to the scale of its largest budget
        currency = row.call.budget_currency
        largest[currency] = max(largest.get(currency, 0), row.figures.budget, row.figures.committed)
    return render_template("scholarships/programme_budget.html", programme=programme,
                           organisation=programme.organisation, rows=rows, totals=totals, largest=largest,
                           bar_width=budget.BAR_WIDTH)


def programme_budget_csv(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    calls = dict(db.session.execute(select(ScholarshipCall.id, ScholarshipCall.title).where(
        ScholarshipCall.programme_id == programme.id, ScholarshipCall.organisation_id == organisation_id)).all())
    found = budget.programme_tranches(organisation_id, sorted(calls))
    names = _community_names({tranche.tenant_id for tranche in found})
    record("scholarships.programme_budget_exported", organisation_id=organisation_id, programme_id=programme.id)
    db.session.commit()
    header = [_("Call"), _("Community"), _("Application"), _("Tranche"), _("Percent"), _("Amount"), _("Currency"),
              _("Condition"), _("Released on"), _("Paid on"), _("Payment reference")]
    # The mark first: spreadsheets then read the file as UTF-8.
    body = "\ufeff" + "".join(budget.tranches_csv(found, names, header, calls=calls))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="scholarships-programme-{programme.id}-tranches.csv"'})
