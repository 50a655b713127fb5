"""Pages of a community's decisions: the list, a new proposal, a proposal and the member's position.

Who reads what (`Viewer`): members see everything of their community's proposals,
but the counts and positions only once they have taken a position or the proposal
has closed; staff assigned to the community (mentors, experts, facilitators) see
proposals and, after the close, the outcome with its counts; an operator sees
that a proposal exists and its result. Staff never see positions: the ORM wall
and row-level security hide those rows from them.
"""

from __future__ import annotations

import enum

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from hromada import authz
from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.modules.accounts.models import StaffRole
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.communities.visibility import enrolments_in_view
from hromada.modules.courses.markdown import render_markdown
from hromada.modules.decisions import operations, rules
from hromada.modules.decisions.forms import PositionForm, ProposalForm
from hromada.modules.decisions.jobs import proposal_link
from hromada.modules.decisions.labels import (
    EXPLANATIONS,
    METHOD_HINTS,
    METHOD_LABELS,
    STANCE_COUNT_LABELS,
    STANCE_LABELS,
)
from hromada.modules.decisions.models import STANCES, DecisionMethod, Position, Proposal, Stance

PAGE_SIZE = 50


class Viewer(enum.Enum):
    MEMBER = "member"
    ASSIGNED = "assigned"  # staff assigned to the community: the outcome with its counts
    OPERATOR = "operator"  # the organisation running the programme: that it exists, and its result


def viewer_of(community_id: int) -> Viewer:
    principal = authz.principal()
    if community_id in principal.memberships:
        return Viewer.MEMBER
    roles = set().union(*principal.reaches(community_id).values())
    return Viewer.ASSIGNED if roles - {StaffRole.OPERATOR} else Viewer.OPERATOR


def visible(community_id: int, viewer: Viewer):
    """A filter on `Proposal`: all of them for members; for staff, those shared with their own programmes."""
    if viewer is Viewer.MEMBER:
        return Proposal.tenant_id == community_id
    programmes = select(Enrolment.programme_id).where(enrolments_in_view(community_id)).scalar_subquery()
    return (Proposal.tenant_id == community_id) & Proposal.programme_id.in_(programmes)


def _close_due(proposals: list[Proposal]) -> None:
    """Close on read: whichever comes first, the job or a page, writes the outcome once."""
    closed = [proposal for proposal in proposals if operations.is_due(proposal)
              and operations.close_if_due(proposal, link=proposal_link(proposal))]
    if closed:
        db.session.commit()


def _proposal(community_id: int, proposal_id: int) -> Proposal:
    proposal = db.session.scalars(
        select(Proposal).where(Proposal.id == proposal_id, visible(community_id, viewer_of(community_id)))
    ).one_or_none()
    if proposal is None:
        abort(404)
    return proposal


def _common() -> dict:
    return {"method_labels": METHOD_LABELS, "method_hints": METHOD_HINTS, "explanations": EXPLANATIONS,
            "count_labels": STANCE_COUNT_LABELS, "stance_labels": STANCE_LABELS, "stances": STANCES,
            "quorum_needed": rules.quorum_needed, "Stance": Stance, "DecisionMethod": DecisionMethod,
            "time_left": time_left, "render_markdown": render_markdown}


# --- The list ---------------------------------------------------------------------------


def index(community_id: int):
    community = db.get_or_404(Community, community_id)
    viewer = viewer_of(community_id)
    proposals = db.session.scalars(
        select(Proposal)
        .where(visible(community_id, viewer))
        .order_by(Proposal.closed_at.is_not(None), Proposal.closes_at.desc())
        .limit(PAGE_SIZE)
    ).all()
    _close_due(proposals)
    open_ = [proposal for proposal in proposals if not proposal.is_closed]
    closed = sorted((proposal for proposal in proposals if proposal.is_closed),
                    key=lambda proposal: as_utc(proposal.closed_at), reverse=True)
    mine: dict[int, Position] = {}
    participation: dict[int, int] = {}
    if viewer is Viewer.MEMBER and open_:
        ids = [proposal.id for proposal in open_]
        mine = {position.proposal_id: position for position in db.session.scalars(
            select(Position).where(Position.proposal_id.in_(ids), Position.user_id == current_user.id))}
        participation = {proposal_id: sum(counts.values())
                         for proposal_id, counts in operations.counts_of(ids).items()}
    return render_template(
        "decisions/index.html", community=community, viewer=viewer, Viewer=Viewer, open_proposals=open_,
        closed_proposals=closed, mine=mine, participation=participation,
        can_propose=authz.can("decisions.take_part", community_id), **_common(),
    )


# --- A new proposal ----------------------------------------------------------------------


def new(community_id: int):
    community = db.get_or_404(Community, community_id)
    subject_type = request.args.get("subject") or None
    subject_id = request.args.get("subject_id", type=int)
    frozen = None
    if subject_type is not None:
        try:
            frozen = operations.freeze(subject_type, subject_id)
        except operations.DecisionRefused:
            abort(404)
    rule = operations.rule_for(community_id)
    enrolments = db.session.scalars(
        select(Enrolment).options(joinedload(Enrolment.programme)).where(Enrolment.tenant_id == community_id)
        .order_by(Enrolment.id)
    ).all()
    programme = request.args.get("programme", type=int)
    if programme is not None and programme not in {enrolment.programme_id for enrolment in enrolments}:
        abort(404)
    form = ProposalForm(data={
        "shared_with": str(programme) if programme else "",
        "method": rule.method, "days": rule.days, "quorum_percent": rule.quorum_percent,
        "threshold_percent": str(rule.threshold_percent),
        "title": frozen.title if frozen else "", "text": frozen.text if frozen else "",
        "seen": rules.fingerprint(frozen.text, frozen.version) if frozen else "",
    })
    form.shared_with.choices = [SelectChoice("", _("Only the members"))] + [
        SelectChoice(str(enrolment.programme_id), _("The members and the staff of %(programme)s",
                                                    programme=enrolment.programme.title))
        for enrolment in enrolments
    ]
    if frozen is not None:
        # What is decided is the object as it is; the text is not the proposer's to edit here.
        form.text.validators = []
    error = None
    if form.validate_on_submit():
        method = form.method_value()
        try:
            proposal = operations.open_proposal(
                community_id, title=form.title.data.strip(), text=(form.text.data or "").strip(), method=method,
                days=form.days.data, quorum_percent=form.quorum_percent.data or 0,
                threshold_percent=int(form.threshold_percent.data), proposed_by=current_user,
                subject_type=subject_type, subject_id=subject_id, seen_fingerprint=form.seen.data or None,
                programme_id=int(form.shared_with.data) if form.shared_with.data else None,
            )
            db.session.commit()
        except operations.DecisionRefused as refusal:
            db.session.rollback()
            error = refusal.message
            if subject_type:
                try:  # what is there now, to read before proposing it
                    frozen = operations.freeze(subject_type, subject_id)
                except operations.DecisionRefused:
                    abort(404)  # the object is gone
                form.seen.data = rules.fingerprint(frozen.text, frozen.version)
        except IntegrityError:
            db.session.rollback()
            flash(_("This proposal is already open."))
            return redirect(url_for("decisions.index", community_id=community_id))
        else:
            # Members are told once the proposal is saved, with the link to it.
            return redirect(url_for("decisions.proposal", community_id=community_id, proposal_id=proposal.id))
    status = 422 if request.method == "POST" else 200
    return render_template("decisions/new.html", community=community, form=form, frozen=frozen, error=error,
                           rule=rule, subject_type=subject_type, subject_id=subject_id, programme=programme,
                           **_common()), status


# --- A proposal ---------------------------------------------------------------------------


def proposal(community_id: int, proposal_id: int, *, form: PositionForm | None = None, error=None, status=200):
    community = db.get_or_404(Community, community_id)
    item = _proposal(community_id, proposal_id)
    _close_due([item])
    viewer = viewer_of(community_id)
    mine, positions, counts = None, [], {}
    if viewer is Viewer.MEMBER:
        mine = db.session.scalars(
            select(Position).where(Position.proposal_id == item.id, Position.user_id == current_user.id)
        ).one_or_none()
        if mine is not None or item.is_closed:
            positions = db.session.scalars(
                select(Position).options(joinedload(Position.user))
                .where(Position.proposal_id == item.id).order_by(Position.updated_at)
            ).all()
            for position in positions:
                counts[position.stance] = counts.get(position.stance, 0) + 1
        participation = len(positions) if positions else sum(operations.counts_of([item.id])[item.id].values())
    else:
        participation = None
    if item.is_closed and not counts:
        counts = {Stance(stance): count for stance, count in (item.tally or {}).get("counts", {}).items()}
    if form is None:
        form = PositionForm(data={"stance": mine.stance.value if mine else None, "reason": mine.reason if mine else ""})
    form.offer(item.method)
    return render_template(
        "decisions/proposal.html", community=community, proposal=item, viewer=viewer, Viewer=Viewer, mine=mine,
        positions=positions, counts=counts, participation=participation, form=form, error=error,
        can_take_part=authz.can("decisions.take_part", community_id) and not item.is_closed,
        subject=operations.subjects().get(item.subject_type) if item.subject_type else None,
        show_results=item.is_closed or mine is not None, **_common(),
    ), status


def take_position(community_id: int, proposal_id: int):
    item = _proposal(community_id, proposal_id)
    form = PositionForm()
    form.offer(item.method)
    if not form.validate_on_submit():
        return proposal(community_id, proposal_id, form=form, status=422)
    try:
        stance = Stance(form.stance.data or "")
    except ValueError:
        return proposal(community_id, proposal_id, form=form, error=_("Choose one of the positions offered."),
                        status=422)
    try:
        operations.take_position(item, current_user.id, stance, form.reason.data or "")
        db.session.commit()
    except operations.DecisionRefused as refusal:
        db.session.rollback()
        return proposal(community_id, proposal_id, form=form, error=refusal.message, status=409)
    flash(_("Your position is saved. You can change it until the proposal closes."))
    return redirect(url_for("decisions.proposal", community_id=community_id, proposal_id=proposal_id))


def time_left(proposal: Proposal):
    """What is left until the close, from the stored instant and the clock now (never a stored flag)."""
    return as_utc(proposal.closes_at) - now()
