"""What changes an action plan, and its progress: testable without HTTP.

Every function acts in the current tenancy context (the community's) and never
commits: the caller commits the change with its audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import case, func, select

from hromada.clock import now, today
from hromada.extensions import db
from hromada.validators import FIRST_YEAR, LAST_YEAR
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, User
from hromada.modules.action_plans.models import Action, ActionPlan, ActionStatus, Milestone, overdue_clause
from hromada.modules.audit.log import record
from hromada.modules.communities.activity import record_activity

MEMBER_ROLES = (CommunityRole.COORDINATOR, CommunityRole.MEMBER)
# Dates of a plan are within these years: a date outside is a typing accident (0202, 20255).


class PlanRefused(ValueError):
    """A change the plan does not allow; `message` says why, in the person's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- Progress -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneProgress:
    id: int
    title: str
    due_on: date | None
    done: int = 0
    total: int = 0  # actions that count: dropped ones do not
    overdue: int = 0

    @property
    def share(self) -> float | None:
        """The share of actions done, 0..1; None while the milestone has no action that counts."""
        return self.done / self.total if self.total else None


@dataclass(frozen=True)
class PlanProgress:
    done: int = 0
    total: int = 0
    overdue: int = 0
    milestones: list[MilestoneProgress] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.done / self.total if self.total else None


def plans_progress(plan_ids, *, on: date | None = None) -> dict[int, PlanProgress]:
    """{plan id: its progress} for the plans of the current context: two queries, whatever the number of actions.

    Done out of the actions that count (dropped ones do not), per milestone and for
    the plan, and the actions overdue on `on` (today by default), read from their
    due dates against the clock.
    """
    plan_ids = sorted(set(plan_ids))
    if not plan_ids:
        return {}
    on = on or today()
    milestones = db.session.execute(
        select(Milestone.id, Milestone.plan_id, Milestone.title, Milestone.due_on)
        .where(Milestone.plan_id.in_(plan_ids))
        .order_by(Milestone.plan_id, Milestone.position, Milestone.due_on.is_(None), Milestone.due_on, Milestone.id)
    ).all()
    counts: dict[int, tuple[int, int, int]] = {}
    if milestones:
        rows = db.session.execute(
            select(
                Action.milestone_id,
                func.count(Action.id).filter(Action.status != ActionStatus.DROPPED),
                func.count(Action.id).filter(Action.status == ActionStatus.DONE),
                func.sum(case((overdue_clause(on), 1), else_=0)),
            )
            .where(Action.milestone_id.in_([row.id for row in milestones]))
            .group_by(Action.milestone_id)
        )
        counts = {milestone_id: (int(total), int(done), int(overdue or 0))
                  for milestone_id, total, done, overdue in rows}
    per_plan: dict[int, list[MilestoneProgress]] = {plan_id: [] for plan_id in plan_ids}
    for row in milestones:
        total, done, overdue = counts.get(row.id, (0, 0, 0))
        per_plan[row.plan_id].append(MilestoneProgress(row.id, row.title, row.due_on, done, total, overdue))
    return {
        plan_id: PlanProgress(done=sum(m.done for m in items), total=sum(m.total for m in items),
                              overdue=sum(m.overdue for m in items), milestones=items)
        for plan_id, items in per_plan.items()
    }


# --- Changing a plan ------------------------------------------------------------------------


def create_plan(community_id: int, owner_type: str, owner_id: int, title: str, *,
                programme_id: int | None = None) -> ActionPlan:
    """The action plan of a plugin's object, made the first time it is asked for (then the same plan).

    In the current tenancy context, which must be the community's: a plugin calls it
    from a member's page, or in `tenancy_scope(tenant_id=community_id)`. With
    `programme_id` (a programme the community takes part in), that programme's staff
    read the plan; without, only the members do.
    """
    plan = db.session.scalars(
        select(ActionPlan).where(ActionPlan.tenant_id == community_id, ActionPlan.owner_type == owner_type,
                                 ActionPlan.owner_id == owner_id)
    ).one_or_none()
    if plan is not None:
        return plan
    plan = ActionPlan(tenant_id=community_id, owner_type=owner_type, owner_id=owner_id, title=title.strip()[:200],
                      programme_id=programme_id)
    db.session.add(plan)
    db.session.flush()
    record("action_plans.plan_created", community_id=community_id, plan_id=plan.id, owner_type=owner_type)
    return plan


def members(community_id: int) -> list[User]:
    """The community's coordinators and members, who may own actions."""
    return list(db.session.scalars(
        select(User)
        .join(CommunityMembership, CommunityMembership.user_id == User.id)
        .where(CommunityMembership.tenant_id == community_id, CommunityMembership.role.in_(MEMBER_ROLES))
        .order_by(User.display_name, User.handle)
    ))


def _check_dates(*days: date | None) -> None:
    for day in days:
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise PlanRefused(_l("Enter a date between the years %(first)s and %(last)s.",
                                 first=FIRST_YEAR, last=LAST_YEAR))


def _taken(model, parent_column, parent_id: int, title: str, exclude_id: int | None = None) -> bool:
    query = select(model.id).where(parent_column == parent_id, func.lower(model.title) == title.lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def save_milestone(plan: ActionPlan, milestone: Milestone | None, *, title: str, due_on: date | None,
                   position: int | None) -> Milestone:
    """Add a milestone to the plan (`milestone` None) or change one of its milestones."""
    title = title.strip()
    _check_dates(due_on)
    if _taken(Milestone, Milestone.plan_id, plan.id, title, milestone.id if milestone else None):
        raise PlanRefused(_l("This plan already has a milestone with this title."))
    added = milestone is None
    if added:
        last = db.session.scalar(select(func.max(Milestone.position)).where(Milestone.plan_id == plan.id))
        milestone = Milestone(tenant_id=plan.tenant_id, plan_id=plan.id,
                              position=(last or 0) + 1 if position is None else position)
        db.session.add(milestone)
    elif position is not None:
        milestone.position = position
    milestone.title, milestone.due_on = title, due_on
    db.session.flush()
    record("action_plans.milestone_added" if added else "action_plans.milestone_changed",
           community_id=plan.tenant_id, plan_id=plan.id, milestone_id=milestone.id)
    return milestone


def save_action(plan: ActionPlan, milestone: Milestone, action: Action | None, *, title: str,
                owner_id: int | None, role: str, starts_on: date | None, due_on: date | None,
                status: ActionStatus, result: str, evidence: str) -> Action:
    """Add an action under a milestone of the plan (`action` None), or change one (and move it there)."""
    if milestone.plan_id != plan.id:
        raise PlanRefused(_l("Choose one of the milestones of this plan."))
    title = title.strip()
    _check_dates(starts_on, due_on)
    if starts_on and due_on and starts_on > due_on:
        raise PlanRefused(_l("The due date cannot be before the start."))
    if owner_id is not None and owner_id not in {member.id for member in members(plan.tenant_id)}:
        raise PlanRefused(_l("Choose one of the community's members, or nobody yet."))
    if _taken(Action, Action.milestone_id, milestone.id, title, action.id if action else None):
        raise PlanRefused(_l("This milestone already has an action with this title."))
    added = action is None
    if added:
        action = Action(tenant_id=plan.tenant_id)
        db.session.add(action)
    status_changed = added or action.status != status
    action.milestone_id, action.title, action.owner_id, action.role = milestone.id, title, owner_id, role.strip()
    action.starts_on, action.due_on, action.status = starts_on, due_on, status
    action.result, action.evidence, action.updated_at = result.strip(), evidence.strip(), now()
    db.session.flush()
    record("action_plans.action_added" if added else "action_plans.action_changed", community_id=plan.tenant_id,
           plan_id=plan.id, action_id=action.id, status=status.value)
    if status_changed:
        record_activity(plan.tenant_id)
        if status in (ActionStatus.DONE, ActionStatus.DROPPED) and milestone_done(milestone.id):
            current_app.extensions["hromada.plugins"].hook.hromada_milestone_done(
                tenant_id=plan.tenant_id, milestone_id=milestone.id)
    return action


def milestone_done(milestone_id: int) -> bool:
    """Every action of the milestone done (dropped ones left out), and at least one done."""
    statuses = list(db.session.scalars(select(Action.status).where(Action.milestone_id == milestone_id)))
    kept = [status for status in statuses if status != ActionStatus.DROPPED]
    return bool(kept) and all(status == ActionStatus.DONE for status in kept)


def add_milestone(plan: ActionPlan, *, title: str, due_on: date | None = None) -> Milestone:
    """A milestone at the end of `plan` (a plugin seeds a plan with its goals); PlanRefused if the title is taken."""
    return save_milestone(plan, None, title=title, due_on=due_on, position=None)


def add_action(milestone: Milestone, *, title: str, owner_id: int | None = None, role: str = "",
               starts_on: date | None = None, due_on: date | None = None,
               status: ActionStatus = ActionStatus.PLANNED, result: str = "", evidence: str = "") -> Action:
    """An action under `milestone` (a plugin's demo or seeded plan); PlanRefused says what is wrong."""
    plan = db.session.get(ActionPlan, milestone.plan_id)
    return save_action(plan, milestone, None, title=title, owner_id=owner_id, role=role, starts_on=starts_on,
                       due_on=due_on, status=status, result=result, evidence=evidence)
