"""Demo decisions: what the demo's communities have decided and what they are deciding now.

Dates are relative to the day the demo is loaded, so an open proposal is open
whenever someone tries the demo. Fictional text, written for the demo.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hromada.clock import now
from hromada.extensions import db
from hromada.modules.decisions import operations, rules
from hromada.modules.decisions.jobs import proposal_link
from hromada.modules.decisions.models import DecisionMethod, Position, Proposal, Stance

# (community, title, text, method, opened days ago, open for days, {handle: (stance, reason)})
PROPOSALS = (
    ("Green Quarter Initiative", "Meet every second Thursday in the library",
     "We meet every second Thursday at 18:30 in the reading room of the district library. "
     "Whoever cannot come sends their news to the coordinator the day before.",
     DecisionMethod.CONSENT, 20, 7,
     {"zhuravel": (Stance.CONSENT, ""), "chapla": (Stance.CONSENT, ""), "kalyna": (Stance.CONSENT, "")}),
    ("Green Quarter Initiative", "Apply to the district's small-grants fund for the courtyard garden",
     "We apply to the district's small-grants fund for the courtyard garden behind block 14: "
     "benches, six raised beds and a water butt. The application is due at the end of the month; "
     "Chapla writes it, Kalyna gathers three quotes.",
     DecisionMethod.VOTE, 2, 5,
     {"zhuravel": (Stance.YES, ""),
      "kalyna": (Stance.NO, "The fund asks for the names of every participant, and some of us cannot give them.")}),
    ("Riverside Yard Circle", "Clean the yard together on the first Saturday of the month",
     "On the first Saturday of every month we clean the yard from 10:00 to 12:00. Sova brings the gloves "
     "and bags; whoever cannot come waters the flower beds during the week.",
     DecisionMethod.CONSENT, 14, 7,
     {"sova": (Stance.CONSENT, ""), "lys": (Stance.CONSENT, "")}),
    ("Night Bakers Collective", "Bake for the night shelter on Fridays",
     "From next month we bake bread for the night shelter every Friday: two of us each week, by turns.",
     DecisionMethod.CONSENSUS, 30, 7,
     {"khlibna": (Stance.AGREE, ""), "drizhdzhi": (Stance.STAND_ASIDE, "I work Friday nights, but I support it.")}),
)


def seed_decisions(communities: dict, people: dict, members: dict, programme_id: int) -> None:
    """Add the demo's proposals that are missing (in the system's scope), with their positions.

    `communities` by name, `people` (users) by handle, `members` = {community name: members' count};
    each proposal is shared with the programme's staff (`programme_id`).
    """
    moment = now().replace(microsecond=0, second=0)
    for name, title, text, method, opened_days_ago, days, positions in PROPOSALS:
        community = communities[name]
        if db.session.scalar(select(Proposal.id).where(Proposal.tenant_id == community.id, Proposal.title == title)):
            continue
        opened = moment - timedelta(days=opened_days_ago)
        proposer = people[next(iter(positions))]
        proposal = Proposal(
            tenant_id=community.id, title=title, text=text, fingerprint=rules.fingerprint(text), method=method,
            quorum_percent=50 if method is DecisionMethod.VOTE else 0, threshold_percent=50,
            electorate=members[name], opened_at=opened, closes_at=opened + timedelta(days=days),
            proposed_by_id=proposer.id, programme_id=programme_id,
        )
        db.session.add(proposal)
        db.session.flush()
        for handle, (stance, reason) in positions.items():
            db.session.add(Position(tenant_id=community.id, proposal_id=proposal.id, user_id=people[handle].id,
                                    stance=stance, reason=reason, updated_at=opened + timedelta(hours=5)))
        db.session.flush()
        # What the closing job would have done by now: the outcome, and the members told of it.
        operations.close_if_due(proposal, link=proposal_link(proposal))
