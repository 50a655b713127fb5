"""Test helpers of the action-plans module: plans with milestones and actions, and the isolation matrix's ids."""

from __future__ import annotations

from datetime import date

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.action_plans.models import Action, ActionPlan, ActionStatus, Milestone


def make_plan(community_id: int, *, title: str = "Operational plan", owner_type: str = "test.owner",
              owner_id: int = 1, programme_id: int | None = None) -> ActionPlan:
    """A plan of `community_id`, written as the system would (tests and the demo only); flushed."""
    with tenancy.system_scope():
        plan = ActionPlan(tenant_id=community_id, owner_type=owner_type, owner_id=owner_id, title=title,
                          programme_id=programme_id)
        db.session.add(plan)
        db.session.flush()
    return plan


def add_milestone(plan: ActionPlan, title: str, *, position: int = 0, due_on: date | None = None) -> Milestone:
    with tenancy.system_scope():
        milestone = Milestone(tenant_id=plan.tenant_id, plan_id=plan.id, title=title, position=position,
                              due_on=due_on)
        db.session.add(milestone)
        db.session.flush()
    return milestone


def add_action(milestone: Milestone, title: str, *, status: ActionStatus = ActionStatus.PLANNED,
               owner=None, **values) -> Action:
    with tenancy.system_scope():
        action = Action(tenant_id=milestone.tenant_id, milestone_id=milestone.id, title=title, status=status,
                        owner_id=owner.id if owner is not None else None, **values)
        db.session.add(action)
        db.session.flush()
    return action


def matrix_arguments(world) -> dict:
    """Side B's plan (a milestone, an action with secret text), and one in A's second community."""
    arguments = {}
    with tenancy.system_scope():
        for side, community, programme, secret in (
            ("foreign", world.b.communities[0], world.b.programme, "secret-b1"),
            ("unreachable", world.a.communities[1], world.a.programme, "secret-a2"),
        ):
            plan = make_plan(community.id, title=f"Plan of {secret}", programme_id=programme.id)
            milestone = add_milestone(plan, f"Milestone of {secret}")
            action = add_action(milestone, f"Action of {secret}", result=secret, evidence=secret)
            arguments[side] = {"plan_id": plan.id, "milestone_id": milestone.id, "action_id": action.id}
        db.session.commit()
    return arguments
