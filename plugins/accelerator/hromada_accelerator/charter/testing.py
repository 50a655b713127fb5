"""Test helpers of the charter: a draft with values, a principle and a rule; the isolation matrix's ids."""

from __future__ import annotations

from flask import current_app

from datetime import timedelta

from hromada.plugin_api import DecisionMethod, Proposal, db, decision_fingerprint, system_scope, utc_now
from hromada_accelerator import versions
from hromada_accelerator.charter import draft
from hromada_accelerator.charter.models import (
    CharterPrinciple,
    CharterRule,
    CharterRuleValue,
    CharterValue,
    CharterVersion,
)


def make_draft(community_id: int, proposer_id: int, *, marker: str = "", adopted: bool = False,
               programme_id: int | None = None) -> dict:
    """A value, a principle under it and a rule protecting it, frozen as version 1 (adopted if asked),
    written as the system would; committed."""
    with system_scope():
        value = CharterValue(tenant_id=community_id, name=f"Care {marker}".strip(), meaning="We look after each other",
                             proposed_by_id=proposer_id)
        db.session.add(value)
        db.session.flush()
        principle = CharterPrinciple(tenant_id=community_id, value_id=value.id, statement="Nobody is left alone")
        rule = CharterRule(tenant_id=community_id, text=f"We answer a call for help within a day {marker}".strip())
        db.session.add_all([principle, rule])
        db.session.flush()
        db.session.add(CharterRuleValue(tenant_id=community_id, rule_id=rule.id, value_id=value.id))
        db.session.flush()
        content = draft.content_of(draft.load_draft(community_id))
        with current_app.test_request_context():  # the text's headings are written in a language
            text = draft.text_of(content)
        version = CharterVersion(tenant_id=community_id, number=1, text=text, content=content,
                                 fingerprint=versions.fingerprint(content), created_by_id=proposer_id,
                                 adopted_at=utc_now() if adopted else None)
        db.session.add(version)
        db.session.flush()
        if adopted:  # by a proposal the community shared with its programme's staff
            db.session.add(Proposal(
                tenant_id=community_id, title="Adopt the charter", text=text,
                fingerprint=decision_fingerprint(text, str(version.id)),
                subject_type=draft.SUBJECT, subject_id=version.id, subject_version=str(version.id),
                programme_id=programme_id, method=DecisionMethod.CONSENT, electorate=2, opened_at=version.adopted_at,
                closes_at=version.adopted_at + timedelta(seconds=1), closed_at=version.adopted_at, passed=True,
                tally={"counts": {}, "participants": [], "explanation": "no_objection"}))
        db.session.commit()
        return {"value_id": value.id, "principle_id": principle.id, "rule_id": rule.id, "version_id": version.id}


def matrix_arguments(world) -> dict:
    foreign = make_draft(world.b.communities[0].id, world.b.people["member"].id, marker="secret-b1", adopted=True,
                         programme_id=world.b.programme.id)
    unreachable = make_draft(world.a.communities[1].id, world.a.people["operator"].id, marker="secret-a2",
                             adopted=True, programme_id=world.a.programme.id)
    return {"foreign": foreign, "unreachable": unreachable}
