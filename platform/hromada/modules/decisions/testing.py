"""Test helpers of the decisions module: proposals with positions, and the isolation matrix's ids."""

from __future__ import annotations

from datetime import timedelta

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.decisions import rules
from hromada.modules.decisions.models import DecisionMethod, Position, Proposal, Stance


def make_proposal(community_id: int, proposer, *, title: str = "Meet on Thursdays", text: str = "We meet weekly.",
                  method: DecisionMethod = DecisionMethod.CONSENT, days: int = 7, electorate: int = 2,
                  opened_days_ago: int = 0, **values) -> Proposal:
    """An open proposal of `community_id`, written as the system would (tests and the demo only); flushed."""
    opened = now().replace(microsecond=0) - timedelta(days=opened_days_ago)
    with tenancy.system_scope():
        proposal = Proposal(
            tenant_id=community_id, title=title, text=text, fingerprint=rules.fingerprint(text), method=method,
            electorate=electorate, opened_at=opened, closes_at=opened + timedelta(days=days),
            proposed_by_id=proposer.id, **values,
        )
        db.session.add(proposal)
        db.session.flush()
    return proposal


def add_position(proposal: Proposal, user, stance: Stance, reason: str = "") -> Position:
    with tenancy.system_scope():
        position = Position(tenant_id=proposal.tenant_id, proposal_id=proposal.id, user_id=user.id,
                            stance=stance, reason=reason)
        db.session.add(position)
        db.session.flush()
    return position


def matrix_arguments(world) -> dict:
    """Side B's proposal (with a position), and one in A's second community, which the roles of A1 do not reach."""
    with tenancy.system_scope():
        b1 = world.b.communities[0].id
        proposal_b = make_proposal(b1, world.b.people["coordinator"], title="Proposal of side B",
                                   programme_id=world.b.programme.id)
        add_position(proposal_b, world.b.people["member"], Stance.OBJECT, "A reason of side B")
        proposal_a2 = make_proposal(world.a.communities[1].id, world.a.people["operator"],
                                    title="Proposal of A's second community", programme_id=world.a.programme.id)
        arguments = {"foreign": {"proposal_id": proposal_b.id}, "unreachable": {"proposal_id": proposal_a2.id}}
        db.session.commit()
    return arguments
