"""A community's proposals and its members' positions on them.

A proposal freezes what is decided when it opens (its text, the version of its
subject and their fingerprint) and the number of members (for a quorum). Its
outcome is written once, when it closes: by the closing job or by the first
page that reads it after its closing time, whichever comes first.

A proposal is the members' alone unless it is shared with a programme the
community takes part in: then that programme's staff read it (audited), and
once it has closed its counts. Positions are `MembersOnly`: staff never see
who took which position.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.database import string_enum
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.tenancy import MembersOnly, TenantOwned


class DecisionMethod(str, enum.Enum):
    CONSENT = "consent"  # passes at the close unless a member objects (with a reason)
    CONSENSUS = "consensus"  # each member agrees, stands aside or blocks; one block stops it
    VOTE = "vote"  # yes / no / abstain, with a quorum and a threshold


class Stance(str, enum.Enum):
    CONSENT = "consent"
    OBJECT = "object"
    AGREE = "agree"
    STAND_ASIDE = "stand_aside"
    BLOCK = "block"
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


STANCES = {
    DecisionMethod.CONSENT: (Stance.CONSENT, Stance.OBJECT),
    DecisionMethod.CONSENSUS: (Stance.AGREE, Stance.STAND_ASIDE, Stance.BLOCK),
    DecisionMethod.VOTE: (Stance.YES, Stance.NO, Stance.ABSTAIN),
}
# A member who stops a proposal says why.
NEEDS_REASON = frozenset({Stance.OBJECT, Stance.BLOCK})


class Proposal(TenantOwned, db.Model):
    __tablename__ = "decision_proposals"
    __table_args__ = (
        # The same proposal sent twice (a double-submitted form) is refused by the database:
        # the closing time is kept to the minute, so two sends within a minute collide.
        UniqueConstraint("tenant_id", "title", "closes_at"),
        CheckConstraint("closes_at > opened_at", name="closes_after_opening"),
        CheckConstraint("quorum_percent BETWEEN 0 AND 100", name="quorum_is_a_share"),
        CheckConstraint("threshold_percent BETWEEN 50 AND 100", name="threshold_at_least_half"),
        CheckConstraint("electorate >= 0", name="electorate_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # What is decided, frozen when the proposal opens; `fingerprint` is its SHA-256.
    text: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # A plugin's object (hromada_decision_subjects), or none for a free text.
    subject_type: Mapped[str | None] = mapped_column(String(80), index=True)
    subject_id: Mapped[int | None] = mapped_column(Integer)
    subject_version: Mapped[str | None] = mapped_column(String(80))
    # The programme whose staff may read the proposal and its result; none: the members only.
    # Staff see a community only through their own organisation's programme, never more.
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    method: Mapped[DecisionMethod] = mapped_column(string_enum(DecisionMethod))
    quorum_percent: Mapped[int] = mapped_column(Integer, default=0)
    threshold_percent: Mapped[int] = mapped_column(Integer, default=50)
    # Members (coordinators and members) when the proposal opened: what a quorum counts on.
    electorate: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The outcome, written once at the close.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    passed: Mapped[bool | None] = mapped_column()
    # {"counts": {stance: n}, "participants": [pseudonyms], "explanation": key}
    tally: Mapped[dict | None] = mapped_column(JSON)

    proposed_by: Mapped[User | None] = relationship()

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Position(MembersOnly, db.Model):
    """A member's position on a proposal: one per member, changeable until the close."""

    __tablename__ = "decision_positions"
    __table_args__ = (UniqueConstraint("tenant_id", "proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("decision_proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stance: Mapped[Stance] = mapped_column(string_enum(Stance))
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    user: Mapped[User] = relationship()
