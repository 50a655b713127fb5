"""The manifesto in the demo: Green Quarter Initiative votes on its draft; Night Bakers Collective adopted theirs.

Fictional text written for the demo; dates relative to the day it is loaded.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hromada.plugin_api import DecisionMethod, Position, Proposal, Stance, db, decision_fingerprint, utc_now
from hromada_accelerator.manifesto.models import ManifestoComment, ManifestoRevision
from hromada_accelerator.manifesto.revisions import SUBJECT
from hromada_accelerator.visibility import accelerator_programme

GREEN_QUARTER = (
    ("zhuravel", "We are the neighbours of the Green Quarter. We look after the courtyards nobody else looks after."),
    ("chapla", "We are the neighbours of the Green Quarter. We look after the courtyards nobody else looks after.\n\n"
               "We decide together, in the open, and we keep each other safe."),
    ("kalyna", "We are the neighbours of the Green Quarter. We look after the courtyards and the people in them.\n\n"
               "We decide together, in the open, and we keep each other safe.\n\n"
               "Anyone who lives here may join us; nobody is asked for more than their first name."),
)
NIGHT_BAKERS = ("khlibna", "We bake at night so that nobody in our district wakes up hungry.\n\n"
                           "Our bread is shared, not sold; our kitchen is open to anyone who wants to learn.")


def _revisions(community, people, texts) -> ManifestoRevision:
    previous = None
    for number, (handle, text) in enumerate(texts, start=1):
        revision = ManifestoRevision(tenant_id=community.id, number=number, text=text, author_id=people[handle].id,
                                     based_on_id=previous.id if previous else None,
                                     created_at=utc_now() - timedelta(days=10 - 3 * number))
        db.session.add(revision)
        db.session.flush()
        previous = revision
    return previous


def seed_manifestos(communities: dict, people: dict) -> None:
    green = communities.get("Green Quarter Initiative")
    if green is not None and not db.session.scalar(
            select(ManifestoRevision.id).where(ManifestoRevision.tenant_id == green.id)):
        latest = _revisions(green, people, GREEN_QUARTER)
        db.session.add(ManifestoComment(tenant_id=green.id, revision_id=latest.id, paragraph=2,
                                        body="Should we say how people can reach us safely?",
                                        author_id=people["taras-facilitator"].id))
        opened = utc_now().replace(microsecond=0, second=0) - timedelta(days=1)
        proposal = Proposal(
            tenant_id=green.id, title="Adopt our manifesto", text=latest.text, fingerprint=decision_fingerprint(latest.text, str(latest.id)),
            subject_type=SUBJECT, subject_id=latest.id, subject_version=str(latest.id),
            programme_id=accelerator_programme(green.id), method=DecisionMethod.VOTE, quorum_percent=60,
            threshold_percent=67, electorate=3, opened_at=opened, closes_at=opened + timedelta(days=6),
            proposed_by_id=people["kalyna"].id)
        db.session.add(proposal)
        db.session.flush()
        db.session.add_all([
            Position(tenant_id=green.id, proposal_id=proposal.id, user_id=people["kalyna"].id, stance=Stance.YES,
                     reason=""),
            Position(tenant_id=green.id, proposal_id=proposal.id, user_id=people["zhuravel"].id, stance=Stance.YES,
                     reason="Short enough to read aloud at the courtyard party."),
        ])
    bakers = communities.get("Night Bakers Collective")
    if bakers is not None and not db.session.scalar(
            select(ManifestoRevision.id).where(ManifestoRevision.tenant_id == bakers.id)):
        adopted = _revisions(bakers, people, (NIGHT_BAKERS,))
        adopted.adopted_at = utc_now().replace(microsecond=0) - timedelta(days=4)
        db.session.add(Proposal(
            tenant_id=bakers.id, title="Adopt our manifesto", text=adopted.text, fingerprint=decision_fingerprint(adopted.text, str(adopted.id)),
            subject_type=SUBJECT, subject_id=adopted.id, subject_version=str(adopted.id),
            programme_id=_programme_of(bakers.id), method=DecisionMethod.CONSENSUS, electorate=2,
            opened_at=adopted.adopted_at - timedelta(days=7), closes_at=adopted.adopted_at,
            closed_at=adopted.adopted_at, passed=True, proposed_by_id=people["khlibna"].id,
            tally={"counts": {"agree": 2}, "participants": ["drizhdzhi", "khlibna"], "explanation": "agreed"}))
    db.session.flush()


def _programme_of(community_id: int) -> int | None:
    from hromada.plugin_api import Enrolment

    return db.session.scalar(select(Enrolment.programme_id).where(Enrolment.tenant_id == community_id).limit(1))
