"""Test helpers of the strategy: a draft with goals, and the isolation matrix's ids."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app

from hromada.plugin_api import DecisionMethod, Proposal, db, decision_fingerprint, system_scope, utc_now
from hromada_accelerator import versions
from hromada_accelerator.strategy import draft
from hromada_accelerator.strategy.models import StrategicGoal, StrategyComment, StrategyDraft, StrategyVersion


def make_strategy(community_id: int, author_id: int, *, marker: str = "", goals: int = 3,
                  adopted_for_programme: int | None = None) -> dict:
    """A drafted vision, mission, `goals` goals and a comment, frozen as version 1 (adopted by a decision
    shared with `adopted_for_programme`, if given); committed; the ids."""
    with system_scope():
        db.session.add(StrategyDraft(tenant_id=community_id, vision=f"A green quarter {marker}".strip(),
                                     mission="We plant and keep trees with our neighbours", updated_by_id=author_id))
        created = []
        for number in range(goals):
            goal = StrategicGoal(tenant_id=community_id, title=f"Goal {number + 1} {marker}".strip(),
                                 result=f"{(number + 1) * 10} trees planted", target_on=date(2027, 6, 1),
                                 created_by_id=author_id)
            db.session.add(goal)
            created.append(goal)
        db.session.add(StrategyComment(tenant_id=community_id, body=f"Is this too ambitious? {marker}",
                                       author_id=author_id))
        db.session.flush()
        content = draft.content_of(*draft.load(community_id))
        with current_app.test_request_context():
            text = draft.text_of(content)
        version = StrategyVersion(tenant_id=community_id, number=1, text=text, content=content,
                                  fingerprint=versions.fingerprint(content), created_by_id=author_id)
        db.session.add(version)
        db.session.flush()
        if adopted_for_programme is not None:
            version.adopted_at = utc_now()
            db.session.add(Proposal(
                tenant_id=community_id, title="Adopt the strategy", text=text,
                fingerprint=decision_fingerprint(text, str(version.id)), subject_type=draft.SUBJECT,
                subject_id=version.id, subject_version=str(version.id), programme_id=adopted_for_programme,
                method=DecisionMethod.CONSENT, electorate=2, opened_at=version.adopted_at - timedelta(days=7),
                closes_at=version.adopted_at, closed_at=version.adopted_at, passed=True,
                tally={"counts": {}, "participants": [], "explanation": "no_objection"}))
        db.session.commit()
        return {"goal_id": created[0].id if created else None, "strategy_version_id": version.id}


def matrix_arguments(world) -> dict:
    return {"foreign": make_strategy(world.b.communities[0].id, world.b.people["member"].id, marker="secret-b1"),
            "unreachable": make_strategy(world.a.communities[1].id, world.a.people["operator"].id,
                                         marker="secret-a2")}
