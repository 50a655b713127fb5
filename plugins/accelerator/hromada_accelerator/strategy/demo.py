"""The strategy in the demo: Green Quarter Initiative adopted its vision, mission and three goals.

Fictional text written for the demo; dates relative to the day it is loaded.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from hromada.plugin_api import DecisionMethod, Proposal, db, decision_fingerprint, utc_now, utc_today
from hromada_accelerator import versions
from hromada_accelerator.strategy import draft
from hromada_accelerator.strategy.models import StrategicGoal, StrategyComment, StrategyDraft, StrategyVersion
from hromada_accelerator.visibility import accelerator_programme

VISION = "Every courtyard of the Green Quarter is green, safe and shared by the people who live around it."
MISSION = ("We bring neighbours together to plant, repair and look after the courtyards, and we speak up "
           "for them to the district.")
# (goal, measurable result, months from today)
GOALS = (
    ("Plant the courtyard behind block 14", "Six raised beds, four trees and a water butt in use", 6),
    ("A neighbours' council for the quarter", "A council that meets monthly with people from 10 of 14 blocks", 12),
    ("A say in the district's courtyard budget", "Two of our proposals in the district's yearly plan", 18),
)


def seed_strategy(communities: dict, people: dict) -> None:
    community = communities.get("Green Quarter Initiative")
    if community is None or db.session.scalar(
            select(StrategyDraft.id).where(StrategyDraft.tenant_id == community.id)):
        return
    db.session.add(StrategyDraft(tenant_id=community.id, vision=VISION, mission=MISSION,
                                 updated_by_id=people["taras-facilitator"].id))
    for title, result, months in GOALS:
        db.session.add(StrategicGoal(tenant_id=community.id, title=title, result=result,
                                     target_on=utc_today() + timedelta(days=30 * months),
                                     created_by_id=people["chapla"].id))
    db.session.add(StrategyComment(tenant_id=community.id, author_id=people["mykola-mentor"].id,
                                   body="The third goal needs allies in the district council: who do you know there?"))
    db.session.flush()
    content = draft.content_of(*draft.load(community.id))
    with current_app.test_request_context():  # the version's headings are written in English
        text = draft.text_of(content)
    adopted = utc_now().replace(microsecond=0) - timedelta(days=6)
    version = StrategyVersion(tenant_id=community.id, number=1, text=text, content=content,
                              fingerprint=versions.fingerprint(content), created_by_id=people["zhuravel"].id,
                              adopted_at=adopted)
    db.session.add(version)
    db.session.flush()
    db.session.add(Proposal(
        tenant_id=community.id, title="Adopt our strategy", text=text,
        fingerprint=decision_fingerprint(text, str(version.id)), subject_type=draft.SUBJECT, subject_id=version.id,
        subject_version=str(version.id), programme_id=accelerator_programme(community.id),
        method=DecisionMethod.CONSENT, electorate=3, opened_at=adopted - timedelta(days=5), closes_at=adopted,
        closed_at=adopted, passed=True, proposed_by_id=people["chapla"].id,
        tally={"counts": {"consent": 3}, "participants": ["chapla", "kalyna", "zhuravel"],
               "explanation": "no_objection"}))
    db.session.flush()
