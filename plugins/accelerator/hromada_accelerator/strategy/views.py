"""Pages of the strategy: the draft (vision, mission, goals) worked out with the facilitator, and what is adopted.

Members and the facilitators of the community's accelerator write the draft; its
mentors comment; only members propose it for adoption. Other staff read only the
adopted strategy the community shared with their programme.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from hromada.plugin_api import Community, can, db, latest_proposals_about, requires, tenancy_scope, utc_now
from hromada_accelerator import versions
from hromada_accelerator.strategy import draft as strategy
from hromada_accelerator.strategy.forms import CommentForm, GoalForm, TextsForm
from hromada_accelerator.strategy.models import StrategicGoal, StrategyComment, StrategyDraft, StrategyVersion
from hromada_accelerator.visibility import accelerator_programme, reads_drafts, staff_programmes

bp = Blueprint("accelerator_strategy", __name__, template_folder="templates")
STRATEGY = "/communities/<int:community_id>/strategy"


def _rule(action: str, view, methods=("GET",)):
    return {"view_func": requires(action, community="community_id")(view), "methods": list(methods)}


def _back(community_id: int):
    return redirect(url_for("accelerator_strategy.strategy", community_id=community_id))


def _drafting(community_id: int):
    """A block that writes the community's draft: in its own context, also for its facilitator."""
    if not reads_drafts(community_id):
        abort(404)
    return tenancy_scope(tenant_id=community_id)


def goals_without_actions(community_id: int, goals) -> list[str]:
    """Deck 002's "goals without actions": goals of the draft whose milestone in the operational plan has none."""
    from hromada_accelerator.meeting.plan import progress_of
    from hromada_accelerator.meeting.views import _meeting

    meeting = _meeting(community_id)
    progress = progress_of([meeting]).get(meeting.id) if meeting else None
    totals = {milestone.title: milestone.total for milestone in progress.milestones} if progress else {}
    return [goal.title for goal in goals if not totals.get(goal.title)]


def strategy_page(community_id: int, *, forms: dict | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    adopted = strategy.adopted_version(community_id, staff_programmes(community_id))
    context = {"community": community, "adopted": adopted, "drafts": reads_drafts(community_id)}
    if context["drafts"]:
        draft, goals = strategy.load(community_id)
        history = db.session.scalars(select(StrategyVersion).where(StrategyVersion.tenant_id == community_id)
                                     .order_by(StrategyVersion.number.desc())).all()
        forms = forms or {}
        context.update(
            draft=draft, goals=goals, history=history, idle_goals=goals_without_actions(community_id, goals),
            comments=db.session.scalars(select(StrategyComment).options(joinedload(StrategyComment.author))
                                        .where(StrategyComment.tenant_id == community_id)
                                        .order_by(StrategyComment.id)).all(),
            decisions=latest_proposals_about(strategy.SUBJECT, [version.id for version in history]),
            texts_form=forms.get("texts") or TextsForm(prefix="texts", data={
                "vision": draft.vision if draft else "", "mission": draft.mission if draft else ""}),
            goal_form=forms.get("goal") or GoalForm(prefix="goal"),
            comment_form=forms.get("comment") or CommentForm(prefix="comment"),
            can_write=can("accelerator.strategy_write", community_id),
            can_comment=can("accelerator.strategy_comment", community_id),
            can_propose=can("accelerator.strategy_propose", community_id),
        )
    return render_template("accelerator_strategy/strategy.html", **context), status


bp.add_url_rule(STRATEGY, "strategy", **_rule("accelerator.strategy_read", strategy_page))


def version(community_id: int, strategy_version_id: int):
    community = db.get_or_404(Community, community_id)
    item = versions.readable_or_404(StrategyVersion, strategy.SUBJECT, community_id, strategy_version_id,
                                    drafts_for_staff=True)
    return render_template("accelerator_strategy/version.html", community=community, version=item)


bp.add_url_rule(STRATEGY + "/versions/<int:strategy_version_id>", "version",
                **_rule("accelerator.strategy_read", version))


def save_texts(community_id: int):
    form = TextsForm(prefix="texts")
    if not form.validate_on_submit():
        return strategy_page(community_id=community_id, forms={"texts": form}, status=422)
    with _drafting(community_id):
        draft = db.session.scalars(select(StrategyDraft).where(StrategyDraft.tenant_id == community_id)).one_or_none()
        if draft is None:
            draft = StrategyDraft(tenant_id=community_id)
            db.session.add(draft)
        draft.vision, draft.mission = (form.vision.data or "").strip(), (form.mission.data or "").strip()
        draft.updated_by_id, draft.updated_at = current_user.id, utc_now()
        db.session.commit()
    flash(_("The vision and the mission are saved."))
    return _back(community_id)


bp.add_url_rule(STRATEGY + "/texts", "save_texts", **_rule("accelerator.strategy_write", save_texts, ("POST",)))


def add_goal(community_id: int):
    form = GoalForm(prefix="goal")
    if not form.validate_on_submit():
        return strategy_page(community_id=community_id, forms={"goal": form}, status=422)
    with _drafting(community_id):
        db.session.add(StrategicGoal(tenant_id=community_id, title=form.title.data.strip(),
                                     result=form.result.data.strip(), target_on=form.target_on.data,
                                     created_by_id=current_user.id))
        db.session.commit()
    return _back(community_id)


bp.add_url_rule(STRATEGY + "/goals", "add_goal", **_rule("accelerator.strategy_write", add_goal, ("POST",)))


def delete_goal(community_id: int, goal_id: int):
    with _drafting(community_id):
        if not db.session.execute(delete(StrategicGoal).where(StrategicGoal.id == goal_id)).rowcount:
            abort(404)
        db.session.commit()
    return _back(community_id)


bp.add_url_rule(STRATEGY + "/goals/<int:goal_id>/delete", "delete_goal",
                **_rule("accelerator.strategy_write", delete_goal, ("POST",)))


def comment(community_id: int):
    form = CommentForm(prefix="comment")
    if not form.validate_on_submit():
        return strategy_page(community_id=community_id, forms={"comment": form}, status=422)
    with _drafting(community_id):
        db.session.add(StrategyComment(tenant_id=community_id, body=form.body.data.strip(),
                                       author_id=current_user.id))
        db.session.commit()
    return _back(community_id)


bp.add_url_rule(STRATEGY + "/comments", "comment", **_rule("accelerator.strategy_comment", comment, ("POST",)))


def propose(community_id: int):
    draft, goals = strategy.load(community_id)
    if draft is None or not draft.vision or not draft.mission or not goals:
        flash(_("A strategy to adopt needs a vision, a mission and at least one goal."))
        return _back(community_id)
    frozen = strategy.freeze_draft(community_id, current_user.id)
    return redirect(url_for("decisions.new", community_id=community_id, subject=strategy.SUBJECT,
                            subject_id=frozen.id, programme=accelerator_programme(community_id)))


bp.add_url_rule(STRATEGY + "/propose", "propose", **_rule("accelerator.strategy_propose", propose, ("POST",)))
