"""What changes a decision: opening a proposal, taking a position, closing it. Testable without HTTP.

Every function acts in the current tenancy context (the community's) and never
commits: the caller commits the change with its audit entry and notifications.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from hromada import tenancy
from hromada.clock import as_utc, now
from hromada.contributions import DecisionRule, DecisionSubject, FrozenText
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import CommunityMembership, CommunityRole
from hromada.modules.audit.log import record
from hromada.modules.decisions import rules
from hromada.modules.decisions.models import NEEDS_REASON, STANCES, DecisionMethod, Position, Proposal, Stance
from hromada.modules.notifications.service import notify
from hromada.times import moment_param

MEMBER_ROLES = (CommunityRole.COORDINATOR, CommunityRole.MEMBER)
OPENED = _l("A new proposal to decide on: “%(title)s”. Take your position before %(closes)s.")
CLOSING = _l("The proposal “%(title)s” closes on %(closes)s and you have not taken a position yet.")
CLOSED_PASSED = _l("The proposal “%(title)s” has passed.")
CLOSED_FAILED = _l("The proposal “%(title)s” did not pass.")
REMIND_BEFORE = timedelta(days=1)
# The actor of what the clock does (a proposal closing): no person, whoever's page happened to read it.
THE_CLOCK = object()


class DecisionRefused(ValueError):
    """A change the rules do not allow; `message` says why, in the person's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- The community's rule and the subjects plugins offer -------------------------


def rule_for(community_id: int) -> DecisionRule:
    """The community's adopted rule "how we decide", or the default until it has one."""
    hook = current_app.extensions["hromada.plugins"].hook
    return hook.hromada_decision_rule(community_id=community_id) or rules.DEFAULT_RULE


def subjects() -> dict[str, DecisionSubject]:
    return current_app.extensions["hromada.decision_subjects"]


def freeze(subject_type: str, subject_id: int) -> FrozenText:
    subject = subjects().get(subject_type)
    frozen = subject.freeze(subject_id) if subject else None
    if frozen is None:
        raise DecisionRefused(_l("There is nothing to decide on at this address."))
    return frozen


def members_of(community_id: int) -> list[int]:
    return list(db.session.scalars(
        select(CommunityMembership.user_id)
        .where(CommunityMembership.tenant_id == community_id, CommunityMembership.role.in_(MEMBER_ROLES))
    ))


# --- Opening --------------------------------------------------------------------------------


def open_proposal(community_id: int, *, title: str, text: str, method: DecisionMethod, days: int,
                  quorum_percent: int = 0, threshold_percent: int = 50, proposed_by,
                  subject_type: str | None = None, subject_id: int | None = None,
                  seen_fingerprint: str | None = None, link: str | None = None,
                  programme_id: int | None = None) -> Proposal:
    """Open a proposal now, closing `days` from now, and tell the members.

    A subject's text is frozen here, read afresh; if it changed since the person
    read it (`seen_fingerprint`), nothing opens: what is decided is what was read.
    """
    version = None
    if subject_type is not None:
        frozen = freeze(subject_type, subject_id)
        text, version = frozen.text, frozen.version
        if seen_fingerprint is not None and rules.fingerprint(text, version) != seen_fingerprint:
            raise DecisionRefused(_l("The text changed since you opened this page. Read it again and propose it then."))
    opened = now().replace(microsecond=0)
    members = members_of(community_id)
    proposal = Proposal(
        tenant_id=community_id, title=title, text=text, fingerprint=rules.fingerprint(text, version),
        subject_type=subject_type, subject_id=subject_id, subject_version=version, method=method,
        programme_id=programme_id,
        quorum_percent=quorum_percent if method is DecisionMethod.VOTE else 0,
        threshold_percent=threshold_percent if method is DecisionMethod.VOTE else 50,
        electorate=len(members), opened_at=opened,
        # Kept to the minute: a form sent twice within a minute is refused as the same proposal.
        closes_at=(opened + timedelta(days=days)).replace(second=0),
        proposed_by_id=proposed_by.id,
    )
    db.session.add(proposal)
    db.session.flush()
    record("decisions.proposal_opened", community_id=community_id, proposal_id=proposal.id,
           method=method.value, subject_type=subject_type)
    others = [user_id for user_id in members if user_id != proposed_by.id]
    notify(others, key=f"decision:{proposal.id}:opened", message=OPENED, link=link,
           params={"title": proposal.title, "closes": moment_param(proposal.closes_at)})
    return proposal


# --- Taking a position --------------------------------------------------------------------


def _locked(proposal_id: int) -> Proposal:
    """The proposal, locked until the transaction ends: a close and a position never interleave."""
    return db.session.scalars(
        select(Proposal).where(Proposal.id == proposal_id).with_for_update().execution_options(populate_existing=True)
    ).one()


def take_position(proposal: Proposal, user_id: int, stance: Stance, reason: str = "") -> Position:
    """Record or change `user_id`'s position; refused after the close or with a stance of another method."""
    proposal = _locked(proposal.id)
    if proposal.is_closed or as_utc(proposal.closes_at) <= now():
        raise DecisionRefused(_l("This proposal has closed: positions can no longer be taken or changed."))
    if stance not in STANCES[proposal.method]:
        raise DecisionRefused(_l("Choose one of the positions offered."))
    reason = reason.strip()
    if stance in NEEDS_REASON and not reason:
        raise DecisionRefused(_l("Say why: an objection or a block needs a reason the others can answer."))
    position = db.session.scalars(
        select(Position).where(Position.proposal_id == proposal.id, Position.user_id == user_id)
    ).one_or_none()
    if position is None:
        position = Position(tenant_id=proposal.tenant_id, proposal_id=proposal.id, user_id=user_id)
        db.session.add(position)
    position.stance, position.reason, position.updated_at = stance, reason, now()
    db.session.flush()
    return position


def counts_of(proposal_ids: list[int]) -> dict[int, dict[Stance, int]]:
    """{proposal id: {stance: how many}}: one query, whatever the number of proposals."""
    counts: dict[int, dict[Stance, int]] = {proposal_id: {} for proposal_id in proposal_ids}
    if proposal_ids:
        for proposal_id, stance, count in db.session.execute(
            select(Position.proposal_id, Position.stance, func.count())
            .where(Position.proposal_id.in_(proposal_ids))
            .group_by(Position.proposal_id, Position.stance)
        ):
            counts[proposal_id][stance] = count
    return counts


# --- Closing ------------------------------------------------------------------------------------


def is_due(proposal: Proposal, moment: datetime | None = None) -> bool:
    return not proposal.is_closed and as_utc(proposal.closes_at) <= (moment or now())


def close_if_due(proposal: Proposal, *, link: str | None = None) -> bool:
    """Write the outcome of a proposal whose closing time has passed; return whether this call wrote it.

    Idempotent: the outcome is written by a conditional update, so the job and a
    page reading the proposal at the same moment record one outcome. It runs in
    the community's own context, whoever reads: positions are the members' rows.
    """
    if not is_due(proposal):
        return False
    with tenancy.scope(tenant_id=proposal.tenant_id):
        proposal = _locked(proposal.id)
        if proposal.is_closed:
            return False
        positions = db.session.execute(
            select(Position.stance, Position.user_id).where(Position.proposal_id == proposal.id)
        ).all()
        counts: dict[Stance, int] = {}
        for stance, _user_id in positions:
            counts[stance] = counts.get(stance, 0) + 1
        outcome = rules.result(proposal.method, counts, electorate=proposal.electorate,
                               quorum_percent=proposal.quorum_percent, threshold_percent=proposal.threshold_percent)
        participants = _pseudonyms([user_id for _stance, user_id in positions])
        written = db.session.execute(
            update(Proposal)
            .where(Proposal.id == proposal.id, Proposal.closed_at.is_(None))
            .values(closed_at=now(), passed=outcome.passed, tally={
                "counts": {stance.value: count for stance, count in counts.items()},
                "participants": participants,
                "explanation": outcome.explanation,
            })
            .execution_options(synchronize_session=False)
        ).rowcount
        if written != 1:
            return False
        db.session.refresh(proposal)
        subject = subjects().get(proposal.subject_type) if proposal.subject_type else None
        if subject is not None and subject.decided is not None:
            subject.decided(proposal.subject_id, proposal.subject_version, outcome.passed)
        record("decisions.proposal_closed", actor=THE_CLOCK, community_id=proposal.tenant_id,
               proposal_id=proposal.id, passed=outcome.passed)
        notify(members_of(proposal.tenant_id), key=f"decision:{proposal.id}:closed", link=link,
               message=CLOSED_PASSED if outcome.passed else CLOSED_FAILED, params={"title": proposal.title})
    return True


def _pseudonyms(user_ids: list[int]) -> list[str]:
    """The names members chose to be known by here (a handle or a display name), sorted."""
    from hromada.modules.accounts.models import User

    if not user_ids:
        return []
    users = db.session.scalars(select(User).where(User.id.in_(user_ids))).all()
    return sorted(user.name for user in users)


def remind_before_close(proposal: Proposal, *, link: str | None = None) -> int:
    """Tell the members who have not taken a position yet, once, when less than a day is left."""
    if proposal.is_closed or not (now() < as_utc(proposal.closes_at) <= now() + REMIND_BEFORE):
        return 0
    taken = set(db.session.scalars(select(Position.user_id).where(Position.proposal_id == proposal.id)))
    waiting = [user_id for user_id in members_of(proposal.tenant_id) if user_id not in taken]
    return notify(waiting, key=f"decision:{proposal.id}:closing", message=CLOSING, link=link,
                  params={"title": proposal.title, "closes": moment_param(proposal.closes_at)})


def latest_proposals_about(subject_type: str, subject_ids) -> dict[int, Proposal]:
    """{subject id: its latest proposal} in the current community: one query, for a plugin's pages and requirements."""
    latest: dict[int, Proposal] = {}
    subject_ids = list(subject_ids)
    if not subject_ids:
        return latest
    for proposal in db.session.scalars(
        select(Proposal)
        .where(Proposal.subject_type == subject_type, Proposal.subject_id.in_(subject_ids))
        .order_by(Proposal.opened_at, Proposal.id)
    ):
        latest[proposal.subject_id] = proposal
    return latest
