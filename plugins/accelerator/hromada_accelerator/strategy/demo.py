"""The strategies in the demo: Green Quarter Initiative adopted its vision, mission and three goals; the
accelerator communities of the demo's scholarship call adopted theirs too (what makes them eligible).

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


# The other accelerator communities: (community, vision, mission, goals, who wrote the goals, who voted, days ago)
OTHERS = (
    ("Linden Court Neighbours",
     "Linden Court is a place where neighbours of every age know each other and look out for each other.",
     "We run the court's common room and a neighbours' help rota, and we keep the linden alley alive.",
     (("Reopen the common room", "The room open three evenings a week, run by a rota of ten neighbours", 4),
      ("A help rota for older neighbours", "Twenty older neighbours with a weekly visit or call", 8),
      ("Save the linden alley", "The alley in the district's tree-care plan", 12)),
     "horikh", ("lypa", "horikh"), 20),
    ("Amber Hill Allotments",
     "The allotments on Amber Hill feed families and teach children where food comes from.",
     "We share land, seeds and tools, and we open the gardens to the schools of the hill.",
     (("A seed library", "Seeds of thirty local varieties lent and returned each year", 6),
      ("Open garden days for schools", "Four classes a season taught in the gardens", 9),
      ("A water supply for the upper plots", "Water on every plot from April to October", 14)),
     "burshtyn", ("burshtyn",), 25),
    ("Stone Bridge Youth Hub",
     "Young people of Stone Bridge have a place of their own and a voice in the district.",
     "We run a youth space with activities the young people choose, and we bring their proposals to the council.",
     (("A youth space open every weekday", "The space open 15 hours a week with two youth volunteers on duty", 5),
      ("A youth council", "Twelve young people meeting monthly, with a seat at the district's hearings", 10),
      ("A summer of street sport", "Eight tournaments in the yards of the district", 8)),
     "mist", ("kamin", "mist"), 10),
)


def seed_strategy(communities: dict, people: dict) -> None:
    _seed_green_quarter(communities, people)
    for name, vision, mission, goals, author, voters, days_ago in OTHERS:
        community = communities.get(name)
        if community is None or not all(handle in people for handle in voters) or db.session.scalar(
                select(StrategyDraft.id).where(StrategyDraft.tenant_id == community.id)):
            continue
        db.session.add(StrategyDraft(tenant_id=community.id, vision=vision, mission=mission,
                                     updated_by_id=people["taras-facilitator"].id))
        for title, result, months in goals:
            db.session.add(StrategicGoal(tenant_id=community.id, title=title, result=result,
                                         target_on=utc_today() + timedelta(days=30 * months),
                                         created_by_id=people[author].id))
        db.session.flush()
        _adopt(community, people, proposer=author, voters=voters, days_ago=days_ago)


def _adopt(community, people: dict, *, proposer: str, voters: tuple, days_ago: int) -> None:
    """The community's draft as its first version, adopted by consent `days_ago` days ago."""
    content = draft.content_of(*draft.load(community.id))
    with current_app.test_request_context():  # the version's headings are written in English
        text = draft.text_of(content)
    adopted = utc_now().replace(microsecond=0) - timedelta(days=days_ago)
    version = StrategyVersion(tenant_id=community.id, number=1, text=text, content=content,
                              fingerprint=versions.fingerprint(content), created_by_id=people[voters[0]].id,
                              adopted_at=adopted)
    db.session.add(version)
    db.session.flush()
    db.session.add(Proposal(
        tenant_id=community.id, title="Adopt our strategy", text=text,
        fingerprint=decision_fingerprint(text, str(version.id)), subject_type=draft.SUBJECT, subject_id=version.id,
        subject_version=str(version.id), programme_id=accelerator_programme(community.id),
        method=DecisionMethod.CONSENT, electorate=len(voters), opened_at=adopted - timedelta(days=5),
        closes_at=adopted, closed_at=adopted, passed=True, proposed_by_id=people[proposer].id,
        tally={"counts": {"consent": len(voters)}, "participants": sorted(voters), "explanation": "no_objection"}))
    db.session.flush()


def _seed_green_quarter(communities: dict, people: dict) -> None:
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
    # Adopted by the three members, as in the demo's decisions.
    _adopt(community, people, proposer="chapla", voters=("zhuravel", "chapla", "kalyna"), days_ago=6)
