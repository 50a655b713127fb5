"""Pages of an action plan: the plan with its progress, and the forms of its milestones and actions.

Members of the community read and change the plan; staff who reach the community
through the programme the plan is part of read it, and each such read is audited
by `requires(..., community=...)`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from hromada import authz
from hromada.clock import today
from hromada.extensions import db
from hromada.modules.action_plans import operations
from hromada.modules.action_plans.forms import ActionForm, MilestoneForm
from hromada.modules.action_plans.labels import STATUS_LABELS
from hromada.modules.action_plans.models import Action, ActionPlan, ActionStatus, Milestone, is_overdue
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.communities.visibility import enrolments_in_view
from hromada.modules.programmes.models import Programme

# The progress chart: one bar per milestone, its label above it, so that it reads on a phone too.
CHART_WIDTH, BAR_HEIGHT, ROW_HEIGHT, LABEL_HEIGHT = 320, 14, 44, 16


def visible(community_id: int):
    """A filter on `ActionPlan`: all of the community's for its members; for staff, those of their programmes."""
    if community_id in authz.principal().memberships:
        return ActionPlan.tenant_id == community_id
    programmes = select(Enrolment.programme_id).where(enrolments_in_view(community_id)).scalar_subquery()
    return (ActionPlan.tenant_id == community_id) & ActionPlan.programme_id.in_(programmes)


def _plan(community_id: int, plan_id: int) -> ActionPlan:
    plan = db.session.scalars(
        select(ActionPlan).where(ActionPlan.id == plan_id, visible(community_id))
    ).one_or_none()
    if plan is None:
        abort(404)
    return plan


def _milestones(plan: ActionPlan) -> list[Milestone]:
    return list(db.session.scalars(
        select(Milestone).where(Milestone.plan_id == plan.id)
        .order_by(Milestone.position, Milestone.due_on.is_(None), Milestone.due_on, Milestone.id)
    ))


def evidence_link(evidence: str) -> str | None:
    """The evidence as a link when it is one https address and nothing else; otherwise it is shown as text."""
    text = (evidence or "").strip()
    if not text or any(character.isspace() for character in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme == "https" and parts.hostname else None


def chart_of(progress: operations.PlanProgress) -> dict:
    bars = []
    for index, milestone in enumerate(progress.milestones):
        share = milestone.share or 0
        bars.append({"milestone": milestone, "y": index * ROW_HEIGHT, "width": round(CHART_WIDTH * share, 1),
                     "percent": round(share * 100)})
    return {"width": CHART_WIDTH + 1, "height": max(len(bars), 1) * ROW_HEIGHT, "bar_height": BAR_HEIGHT,
            "label_height": LABEL_HEIGHT, "full": CHART_WIDTH, "bars": bars}


def plan(community_id: int, plan_id: int):
    community = db.get_or_404(Community, community_id)
    item = _plan(community_id, plan_id)
    milestones = _milestones(item)
    actions: dict[int, list[Action]] = {milestone.id: [] for milestone in milestones}
    if milestones:
        for action in db.session.scalars(
            select(Action).options(joinedload(Action.owner))
            .where(Action.milestone_id.in_(list(actions)))
            .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
        ):
            actions[action.milestone_id].append(action)
    progress = operations.plans_progress([item.id])[item.id]
    programme = db.session.get(Programme, item.programme_id) if item.programme_id else None
    return render_template(
        "action_plans/plan.html", community=community, plan=item, milestones=milestones, actions=actions,
        progress=progress, chart=chart_of(progress), programme=programme, today=today(), is_overdue=is_overdue,
        status_labels=STATUS_LABELS, ActionStatus=ActionStatus, evidence_link=evidence_link,
        can_edit=authz.can("action_plans.edit", community_id),
    )


# --- Milestones -------------------------------------------------------------------------------


def _milestone(plan: ActionPlan, milestone_id: int) -> Milestone:
    milestone = db.session.scalars(
        select(Milestone).where(Milestone.id == milestone_id, Milestone.plan_id == plan.id)
    ).one_or_none()
    if milestone is None:
        abort(404)
    return milestone


def _plan_page(plan: ActionPlan, anchor: str | None = None):
    return redirect(url_for("action_plans.plan", community_id=plan.tenant_id, plan_id=plan.id,
                            _anchor=anchor))


def edit_milestone(community_id: int, plan_id: int, milestone_id: int | None = None):
    community = db.get_or_404(Community, community_id)
    item = _plan(community_id, plan_id)
    milestone = _milestone(item, milestone_id) if milestone_id is not None else None
    form = MilestoneForm(obj=milestone)
    error = None
    if form.validate_on_submit():
        try:
            saved = operations.save_milestone(item, milestone, title=form.title.data, due_on=form.due_on.data,
                                              position=form.position.data)
            db.session.commit()
        except operations.PlanRefused as refusal:
            db.session.rollback()
            error = refusal.message
        except IntegrityError:  # the same milestone sent twice at once
            db.session.rollback()
            error = _("This plan already has a milestone with this title.")
        else:
            flash(_("The milestone is saved."))
            return _plan_page(item, f"milestone-{saved.id}")
    status = 422 if request.method == "POST" else 200
    return render_template("action_plans/milestone.html", community=community, plan=item, milestone=milestone,
                           form=form, error=error), status


# --- Actions ---------------------------------------------------------------------------------------


def _action(plan: ActionPlan, action_id: int) -> Action:
    action = db.session.scalars(
        select(Action).join(Milestone, Milestone.id == Action.milestone_id)
        .where(Action.id == action_id, Milestone.plan_id == plan.id)
    ).one_or_none()
    if action is None:
        abort(404)
    return action


def _edit_action(community, item: ActionPlan, milestone: Milestone, action: Action | None):
    milestones = _milestones(item)
    members = operations.members(community.id)
    data = None
    if action is None:
        data = {"milestone": str(milestone.id), "status": ActionStatus.PLANNED.value}
    else:
        data = {"title": action.title, "milestone": str(action.milestone_id),
                "owner": str(action.owner_id) if action.owner_id else "", "role": action.role,
                "starts_on": action.starts_on, "due_on": action.due_on, "status": action.status.value,
                "result": action.result, "evidence": action.evidence}
    form = ActionForm(data=data).offer(milestones, members)
    error = None
    if form.validate_on_submit():
        chosen = next(m for m in milestones if str(m.id) == form.milestone.data)
        try:
            saved = operations.save_action(
                item, chosen, action, title=form.title.data, owner_id=int(form.owner.data) if form.owner.data else None,
                role=form.role.data or "", starts_on=form.starts_on.data, due_on=form.due_on.data,
                status=ActionStatus(form.status.data), result=form.result.data or "",
                evidence=form.evidence.data or "",
            )
            db.session.commit()
        except operations.PlanRefused as refusal:
            db.session.rollback()
            error = refusal.message
        except IntegrityError:  # the same action sent twice at once
            db.session.rollback()
            error = _("This milestone already has an action with this title.")
        else:
            flash(_("The action is saved."))
            return _plan_page(item, f"action-{saved.id}")
    status = 422 if request.method == "POST" else 200
    return render_template("action_plans/action.html", community=community, plan=item, milestone=milestone,
                           action=action, form=form, error=error), status


def new_action(community_id: int, plan_id: int, milestone_id: int):
    community = db.get_or_404(Community, community_id)
    item = _plan(community_id, plan_id)
    return _edit_action(community, item, _milestone(item, milestone_id), None)


def edit_action(community_id: int, plan_id: int, action_id: int):
    community = db.get_or_404(Community, community_id)
    item = _plan(community_id, plan_id)
    action = _action(item, action_id)
    return _edit_action(community, item, _milestone(item, action.milestone_id), action)
