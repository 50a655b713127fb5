"""The charter in the demo: Green Quarter Initiative adopted its values, principles and rules by consent.

Fictional text written for the demo; dates relative to the day it is loaded.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from hromada.plugin_api import DecisionMethod, Proposal, db, decision_fingerprint, utc_now
from hromada_accelerator import versions
from hromada_accelerator.charter import draft
from hromada_accelerator.visibility import accelerator_programme
from hromada_accelerator.charter.models import (
    CharterPrinciple,
    CharterRule,
    CharterRuleValue,
    CharterValue,
    CharterVersion,
    DecidingRule,
)

COMMUNITY = "Green Quarter Initiative"
# (value, what it means, who put it forward, its principles)
VALUES = (
    ("Care for the courtyard", "The yard is ours to look after, not the district's to forget.", "zhuravel",
     ("We fix small things ourselves before we complain about them.",)),
    ("Openness", "Anyone living in the quarter may join and see what we decide.", "chapla",
     ("Our meetings are announced on the stairwell boards a week ahead.",)),
    ("Safety of each member", "Nobody is exposed for taking part.", "kalyna",
     ("Names stay inside the community unless the person agrees.",)),
)
# (rule, the values it protects)
RULES = (
    ("Photos of members are published only with each person's consent.", ("Safety of each member", "Openness")),
    ("Every decision and its result is written on the board within a week.", ("Openness",)),
    ("The tool shed key passes from hand to hand, and its keeper is written down.", ("Care for the courtyard",)),
)


def seed_charter(communities: dict, people: dict) -> None:
    community = communities.get(COMMUNITY)
    if community is None or db.session.scalar(select(CharterValue.id).where(CharterValue.tenant_id == community.id)):
        return
    values = {}
    for name, meaning, handle, principles in VALUES:
        value = values[name] = CharterValue(tenant_id=community.id, name=name, meaning=meaning,
                                            proposed_by_id=people[handle].id)
        db.session.add(value)
        db.session.flush()
        db.session.add_all([CharterPrinciple(tenant_id=community.id, value_id=value.id, statement=statement)
                            for statement in principles])
    for text, protects in RULES:
        rule = CharterRule(tenant_id=community.id, text=text)
        db.session.add(rule)
        db.session.flush()
        db.session.add_all([CharterRuleValue(tenant_id=community.id, rule_id=rule.id, value_id=values[name].id)
                            for name in protects])
    db.session.add(DecidingRule(tenant_id=community.id, method="consent", quorum_percent=0, days=5,
                                threshold_percent=50))
    db.session.flush()
    content = draft.content_of(draft.load_draft(community.id))
    with current_app.test_request_context():  # the version's headings are written in English
        text = draft.text_of(content)
    adopted = utc_now().replace(microsecond=0) - timedelta(days=12)
    version = CharterVersion(tenant_id=community.id, number=1, text=text, content=content,
                             fingerprint=versions.fingerprint(content), created_by_id=people["zhuravel"].id,
                             adopted_at=adopted)
    db.session.add(version)
    db.session.flush()
    # The decision that adopted it: consent, nobody objected.
    members = ("zhuravel", "chapla", "kalyna")
    db.session.add(Proposal(
        tenant_id=community.id, title="Adopt our charter", text=text,
        fingerprint=decision_fingerprint(text, str(version.id)),
        subject_type=draft.SUBJECT, subject_id=version.id, subject_version=str(version.id),
        programme_id=accelerator_programme(community.id), method=DecisionMethod.CONSENT, electorate=len(members), opened_at=adopted - timedelta(days=7),
        closes_at=adopted, closed_at=adopted, passed=True, proposed_by_id=people["zhuravel"].id,
        tally={"counts": {"consent": len(members)}, "participants": sorted(members), "explanation": "no_objection"},
    ))
    db.session.flush()
