"""The coordination meeting's page: the community's request, report and plan; the operator's decisions.

Members ask for the meeting (date, place, budget), report on it and submit its
operational plan. The operator of the programme approves the budget and approves the
plan or returns it with a comment. Other staff who reach the community through that
programme read it; staff of another organisation's programme do not see it.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from hromada.plugin_api import (
    ACTION_PLAN_PAGE,
    Community,
    Programme,
    StaffRole,
    act_for_organisation,
    programme_staff,
    can,
    current_principal,
    db,
    record_audit,
    requires,
    utc_now,
)
from hromada_accelerator.meeting.forms import BudgetForm, MeetingForm, ReturnForm
from hromada_accelerator.meeting.models import CoordinationMeeting, PlanStatus
from hromada_accelerator.meeting.plan import plan_for, progress_of
from hromada_accelerator.visibility import accelerator_programme, staff_programmes

bp = Blueprint("accelerator_meeting", __name__, template_folder="templates")
MEETING = "/communities/<int:community_id>/coordination-meeting"


def _rule(action: str, view, methods=("GET",)):
    return {"view_func": requires(action, community="community_id")(view), "methods": list(methods)}


def _back(community_id: int):
    return redirect(url_for("accelerator_meeting.meeting", community_id=community_id))


def _meeting(community_id: int) -> CoordinationMeeting | None:
    """The meeting of the community's accelerator programme, as far as the person may see it."""
    programmes = staff_programmes(community_id)
    query = select(CoordinationMeeting).where(CoordinationMeeting.tenant_id == community_id)
    if programmes is None:
        # Members: the meeting of the accelerator they are in now, else their latest one, which
        # stays theirs to read (and its plan to carry out) after the community moves on.
        current = accelerator_programme(community_id)
        order = [CoordinationMeeting.programme_id != current] if current is not None else []
        query = query.order_by(*order, CoordinationMeeting.id.desc())
    else:
        query = query.where(CoordinationMeeting.programme_id.in_(programmes)).order_by(CoordinationMeeting.id.desc())
    return db.session.scalars(query.limit(1)).first()


def _decided_here(meeting: CoordinationMeeting | None) -> CoordinationMeeting:
    """The meeting, for its programme's operator only; their organisation's context, to write its part."""
    if meeting is None or StaffRole.OPERATOR not in current_principal().staff_roles(meeting.organisation_id):
        abort(404)
    act_for_organisation(meeting.organisation_id)
    return meeting


def meeting_page(community_id: int, *, forms: dict | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    meeting = _meeting(community_id)
    forms = forms or {}
    is_member = community_id in current_principal().memberships
    context = {
        "community": community, "meeting": meeting, "is_member": is_member, "plan_page": ACTION_PLAN_PAGE,
        "progress": progress_of([meeting]).get(meeting.id) if meeting else None, "PlanStatus": PlanStatus,
        "in_accelerator": accelerator_programme(community_id) is not None,
        "can_write": can("accelerator.meeting_write", community_id),
        "can_decide": meeting is not None and can("accelerator.meeting_decide", community_id)
        and StaffRole.OPERATOR in current_principal().staff_roles(meeting.organisation_id),
    }
    if context["can_write"]:
        # The form starts from the meeting (its `requested` Money included), or empty for a first one.
        form = forms.get("meeting")
        if form is None:
            form = MeetingForm(prefix="meeting", obj=meeting)
            form.facilitator.data = str(meeting.facilitator_id) if meeting and meeting.facilitator_id else ""
            offer_facilitators(form, community_id, meeting)
        context["form"] = form
    if context["can_decide"]:
        context["budget_form"] = forms.get("budget") or BudgetForm(prefix="budget")
        if "budget" not in forms:
            context["budget_form"].approved.data = meeting.approved or meeting.requested
        context["return_form"] = forms.get("return") or ReturnForm(prefix="return")
    return render_template("accelerator_meeting/meeting.html", **context), status


bp.add_url_rule(MEETING, "meeting", **_rule("accelerator.meeting_read", meeting_page))


def offer_facilitators(form: MeetingForm, community_id: int, meeting: CoordinationMeeting | None) -> None:
    """Who may be named as the facilitator: staff assigned in this accelerator, and whoever already is."""
    programme_id = accelerator_programme(community_id) or (meeting.programme_id if meeting else None)
    people = programme_staff(community_id, programme_id) if programme_id is not None else []
    if meeting is not None and meeting.facilitator is not None and meeting.facilitator not in people:
        people.append(meeting.facilitator)  # no longer assigned: the record keeps its name
    form.facilitator.choices = form.facilitator.choices[:1] + [SelectChoice(str(person.id), person.name) for person in people]


def save(community_id: int):
    form = MeetingForm(prefix="meeting")
    offer_facilitators(form, community_id, _meeting(community_id))
    if not form.validate_on_submit():
        return meeting_page(community_id=community_id, forms={"meeting": form}, status=422)
    programme_id = accelerator_programme(community_id)
    if programme_id is None:
        flash(_("The community is not in an accelerator stage: there is no coordination meeting to plan."))
        return _back(community_id)
    meeting = _meeting(community_id)
    if meeting is None or meeting.programme_id != programme_id:  # this accelerator's meeting is a new one
        programme = db.session.get(Programme, programme_id)
        meeting = CoordinationMeeting(tenant_id=community_id, organisation_id=programme.organisation_id,
                                      programme_id=programme_id)
        db.session.add(meeting)
    meeting.held_on, meeting.online = form.held_on.data, form.online.data
    meeting.facilitator_id = int(form.facilitator.data) if form.facilitator.data else None
    meeting.place, meeting.participants = (form.place.data or "").strip(), form.participants.data
    if meeting.approved is None:  # once the operator has decided the money, the request stands as it was
        meeting.requested = form.requested.data
    meeting.report, meeting.roles = (form.report.data or "").strip(), (form.roles.data or "").strip()
    db.session.flush()
    plan_for(meeting)
    db.session.commit()
    flash(_("The coordination meeting is saved."))
    return _back(community_id)


bp.add_url_rule(MEETING, "save", **_rule("accelerator.meeting_write", save, ("POST",)))


def submit_plan(community_id: int):
    meeting = _meeting(community_id)
    if meeting is None or meeting.plan_status == PlanStatus.APPROVED.value:
        abort(404)
    meeting.plan_status, meeting.plan_comment = PlanStatus.SUBMITTED.value, ""
    db.session.commit()
    flash(_("The operational plan is sent to the operator for approval."))
    return _back(community_id)


bp.add_url_rule(MEETING + "/submit-plan", "submit_plan",
                **_rule("accelerator.meeting_write", submit_plan, ("POST",)))


def approve_budget(community_id: int):
    meeting = _decided_here(_meeting(community_id))
    form = BudgetForm(prefix="budget")
    if not form.validate_on_submit():
        return meeting_page(community_id=community_id, forms={"budget": form}, status=422)
    meeting.approved, meeting.budget_decided_by_id = form.approved.data, current_user.id
    record_audit("accelerator.meeting_budget_approved", organisation_id=meeting.organisation_id,
                 community_id=community_id, amount_minor=form.approved.data.amount_minor,
                 currency=form.approved.data.currency)
    db.session.commit()
    flash(_("The budget is approved."))
    return _back(community_id)


bp.add_url_rule(MEETING + "/budget", "approve_budget",
                **_rule("accelerator.meeting_decide", approve_budget, ("POST",)))


def decide_plan(community_id: int, approve: bool):
    meeting = _decided_here(_meeting(community_id))
    if meeting.plan_status != PlanStatus.SUBMITTED.value:
        flash(_("The community has not sent the plan for approval."))
        return _back(community_id)
    if approve:
        meeting.plan_status, meeting.plan_comment = PlanStatus.APPROVED.value, ""
    else:
        form = ReturnForm(prefix="return")
        if not form.validate_on_submit():
            return meeting_page(community_id=community_id, forms={"return": form}, status=422)
        meeting.plan_status, meeting.plan_comment = PlanStatus.RETURNED.value, form.comment.data.strip()
    meeting.plan_decided_at = utc_now()
    record_audit("accelerator.plan_approved" if approve else "accelerator.plan_returned",
                 organisation_id=meeting.organisation_id, community_id=community_id)
    db.session.commit()
    flash(_("The operational plan is approved.") if approve else _("The plan is returned to the community."))
    return _back(community_id)


bp.add_url_rule(MEETING + "/approve-plan", "approve_plan",
                **_rule("accelerator.meeting_decide", lambda community_id: decide_plan(community_id, True), ("POST",)))
bp.add_url_rule(MEETING + "/return-plan", "return_plan",
                **_rule("accelerator.meeting_decide", lambda community_id: decide_plan(community_id, False),
                        ("POST",)))
