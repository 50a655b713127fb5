"""Pages of the strategic sessions: the list with a form for a new one, a session with what it agreed.

A session works on a change map the community adopted (deck 002: "for communities
ready to carry out their change map"); its outcomes name the map's milestones and
actions, and a new action agreed at the session goes straight into the map's plan.
Members write; staff who read the map (`maps_clause`) read its sessions.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hromada.plugin_api import lazy_gettext as _l
from hromada.plugin_api import (
    ACTION_PLAN_PAGE,
    Action,
    Community,
    Milestone,
    PlanRefused,
    action_owners,
    add_action,
    can,
    db,
    record_activity,
    record_audit,
    requires,
    utc_now,
)
from hromada_civic_course.access import READ, WRITE
from hromada_civic_course.maps.models import ChangeMap, ChangeMapVersion
from hromada_civic_course.maps.versions import maps_clause
from hromada_civic_course.meetings.models import Problem
from hromada_civic_course.sessions import reading
from hromada_civic_course.sessions.forms import OutcomeForm, SessionActionForm, SessionForm
from hromada_civic_course.sessions.models import SessionOutcome, StrategicSession
from hromada_civic_course.visibility import civic_programme

bp = Blueprint("civic_sessions", __name__, template_folder="templates")
SESSIONS = "/communities/<int:community_id>/civic-course/sessions"


def _rule(action: str, view, methods=("GET",)):
    return {"view_func": requires(action, community="community_id")(view), "methods": list(methods)}


def _ready_maps(community_id: int) -> list[tuple[int, str]]:
    """(map id, its problem) of the maps the community adopted: the maps a session can work on."""
    return list(db.session.execute(
        select(ChangeMap.id, Problem.title).join(Problem, Problem.id == ChangeMap.problem_id)
        .where(ChangeMap.tenant_id == community_id,
               ChangeMap.id.in_(select(ChangeMapVersion.map_id).where(ChangeMapVersion.adopted_at.is_not(None))))
        .order_by(ChangeMap.id)))


def sessions_page(community_id: int, form: SessionForm | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    can_write = can(WRITE, community_id)
    if can_write and form is None:
        form = SessionForm(prefix="session", maps=_ready_maps(community_id))
    return render_template("civic_sessions/sessions.html", community=community,
                           rows=reading.sessions_of(community_id), form=form if can_write else None), status


def create_session(community_id: int):
    form = SessionForm(prefix="session", maps=_ready_maps(community_id))
    if not form.validate_on_submit():
        return sessions_page(community_id, form, 422)
    existing = db.session.scalar(select(StrategicSession.id).where(
        StrategicSession.tenant_id == community_id, StrategicSession.map_id == form.change_map.data,
        StrategicSession.held_on == form.held_on.data))
    if existing is None:
        session = StrategicSession(tenant_id=community_id, programme_id=civic_programme(community_id),
                                   map_id=form.change_map.data, held_on=form.held_on.data,
                                   facilitator=(form.facilitator.data or "").strip(),
                                   participants=form.participants.data, summary=(form.summary.data or "").strip())
        db.session.add(session)
        db.session.flush()
        record_activity(community_id, utc_now())
        record_audit("civic_course.session_recorded", community_id=community_id, session_id=session.id,
                     map_id=session.map_id)
        try:
            db.session.commit()
        except IntegrityError:  # the same session submitted twice at once: stored once
            db.session.rollback()
        else:
            flash(_("The strategic session is recorded: now write down what it agreed."))
            return _back(community_id, session.id)
        existing = db.session.scalar(select(StrategicSession.id).where(
            StrategicSession.map_id == form.change_map.data, StrategicSession.held_on == form.held_on.data))
    flash(_("A session on this map on this day is already recorded: here it is."))
    return _back(community_id, existing)


bp.add_url_rule(SESSIONS, "sessions", **_rule(READ, sessions_page))
bp.add_url_rule(SESSIONS, "create", **_rule(WRITE, create_session, ("POST",)))


def _session(community_id: int, session_id: int) -> tuple[StrategicSession, ChangeMap]:
    found = db.session.execute(
        select(StrategicSession, ChangeMap).join(ChangeMap, ChangeMap.id == StrategicSession.map_id)
        .where(StrategicSession.id == session_id, StrategicSession.tenant_id == community_id,
               reading.sessions_clause(community_id), maps_clause(community_id))).first()
    if found is None:
        abort(404)
    return found[0], found[1]


def _back(community_id: int, session_id: int, anchor: str = ""):
    return redirect(url_for("civic_sessions.session", community_id=community_id, session_id=session_id) + anchor)


def _plan_choices(change_map: ChangeMap) -> tuple[list, list]:
    """The map's milestones and actions, (id, title) each: two queries."""
    if change_map.plan_id is None:
        return [], []
    milestones = db.session.execute(select(Milestone.id, Milestone.title).where(
        Milestone.plan_id == change_map.plan_id).order_by(Milestone.position, Milestone.id)).all()
    actions = db.session.execute(select(Action.id, Action.title).join(Milestone, Milestone.id == Action.milestone_id)
                                 .where(Milestone.plan_id == change_map.plan_id)
                                 .order_by(Milestone.position, Milestone.id, Action.id)).all()
    return milestones, actions


def _outcome_link(outcome: SessionOutcome) -> str:
    """The choice of `OutcomeForm.link` that names what the outcome is about."""
    if outcome.action_id:
        return f"a{outcome.action_id}"
    return f"m{outcome.milestone_id}" if outcome.milestone_id else ""


def _forms(community_id: int, change_map: ChangeMap, forms: dict, session: StrategicSession | None = None,
           outcomes=()) -> dict:
    milestones, actions = _plan_choices(change_map)
    found = {}
    if session is not None:
        found["session_form"] = forms.get("session") or SessionForm(
            prefix="edit", maps=_ready_maps(community_id), obj=session, change_map=session.map_id)
        found["outcome_forms"] = {
            outcome.id: forms.get(("outcome", outcome.id)) or OutcomeForm(
                prefix=f"outcome-{outcome.id}", milestones=milestones, actions=actions, text=outcome.text,
                link=_outcome_link(outcome))
            for outcome, *_rest in outcomes}
    return {**found, "outcome_form": forms.get("outcome") or OutcomeForm(prefix="outcome", milestones=milestones,
                                                                         actions=actions),
            "action_form": forms.get("action") or SessionActionForm(
                prefix="action", milestones=milestones, owners=action_owners(community_id))}


def session_page(community_id: int, session_id: int, *, forms: dict | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    session, change_map = _session(community_id, session_id)
    problem = db.session.get(Problem, change_map.problem_id)
    context = {"community": community, "session": session, "map": change_map, "problem": problem,
               "outcomes": reading.outcomes_of(session.id), "plan_page": ACTION_PLAN_PAGE,
               "can_write": can(WRITE, community_id)}
    if context["can_write"]:
        context.update(_forms(community_id, change_map, forms or {}, session, context["outcomes"]))
    return render_template("civic_sessions/session.html", **context), status


def add_outcome(community_id: int, session_id: int):
    session, change_map = _session(community_id, session_id)
    milestones, actions = _plan_choices(change_map)
    form = OutcomeForm(prefix="outcome", milestones=milestones, actions=actions)
    if not form.validate_on_submit():
        return session_page(community_id, session_id, forms={"outcome": form}, status=422)
    outcome = SessionOutcome(tenant_id=community_id, session_id=session.id, text=form.text.data.strip())
    _link(outcome, form.link.data or "")
    db.session.add(outcome)
    db.session.commit()
    flash(_("The outcome is added."))
    return _back(community_id, session.id, "#outcomes")


def _link(outcome: SessionOutcome, link: str) -> None:
    """Point the outcome at a milestone, an action (and its milestone), or the map as a whole (`link` empty)."""
    outcome.milestone_id, outcome.action_id = None, None
    if link.startswith("m"):
        outcome.milestone_id = int(link[1:])
    elif link.startswith("a"):
        outcome.action_id = int(link[1:])
        outcome.milestone_id = db.session.scalar(select(Action.milestone_id).where(Action.id == outcome.action_id))


def save_session(community_id: int, session_id: int):
    """Change a session's map, date, facilitator, participants and summary: one session a day on a map."""
    session, _change_map = _session(community_id, session_id)
    form = SessionForm(prefix="edit", maps=_ready_maps(community_id))
    if not form.validate_on_submit():
        return session_page(community_id, session_id, forms={"session": form}, status=422)
    taken = db.session.scalar(select(StrategicSession.id).where(
        StrategicSession.tenant_id == community_id, StrategicSession.map_id == form.change_map.data,
        StrategicSession.held_on == form.held_on.data, StrategicSession.id != session.id))
    if taken is not None:
        form.held_on.errors = [_("A session on this map on this day is already recorded.")]
        return session_page(community_id, session_id, forms={"session": form}, status=422)
    session.map_id, session.held_on = form.change_map.data, form.held_on.data
    session.facilitator = (form.facilitator.data or "").strip()
    session.participants, session.summary = form.participants.data, (form.summary.data or "").strip()
    record_audit("civic_course.session_changed", community_id=community_id, session_id=session.id,
                 map_id=session.map_id)
    try:
        db.session.commit()
    except IntegrityError:  # the same map and day taken at the same instant: nothing is saved
        db.session.rollback()
        form.held_on.errors = [_("A session on this map on this day is already recorded.")]
        return session_page(community_id, session_id, forms={"session": form}, status=422)
    flash(_("The session is saved."))
    return _back(community_id, session.id)


def save_outcome(community_id: int, session_id: int, outcome_id: int):
    session, change_map = _session(community_id, session_id)
    outcome = db.session.scalars(select(SessionOutcome).where(SessionOutcome.id == outcome_id,
                                                              SessionOutcome.session_id == session.id)).first()
    if outcome is None:
        abort(404)
    milestones, actions = _plan_choices(change_map)
    form = OutcomeForm(prefix=f"outcome-{outcome.id}", milestones=milestones, actions=actions)
    if not form.validate_on_submit():
        return session_page(community_id, session_id, forms={("outcome", outcome.id): form}, status=422)
    outcome.text = form.text.data.strip()
    _link(outcome, form.link.data or "")
    record_audit("civic_course.outcome_changed", community_id=community_id, session_id=session.id,
                 outcome_id=outcome.id)
    db.session.commit()
    flash(_("The outcome is saved."))
    return _back(community_id, session.id, f"#outcome-{outcome.id}")


def add_session_action(community_id: int, session_id: int):
    """A new action of the map's plan, agreed at the session: in the plan, and among the session's outcomes."""
    session, change_map = _session(community_id, session_id)
    milestones, _actions = _plan_choices(change_map)
    form = SessionActionForm(prefix="action", milestones=milestones, owners=action_owners(community_id))
    if not form.validate_on_submit():
        return session_page(community_id, session_id, forms={"action": form}, status=422)
    milestone = db.session.get(Milestone, form.milestone.data)
    try:
        action = add_action(milestone, title=form.title.data.strip(), owner_id=form.owner.data or None,
                            due_on=form.due_on.data)
    except PlanRefused as refused:
        db.session.rollback()
        form.title.errors = [str(refused.message)]
        return session_page(community_id, session_id, forms={"action": form}, status=422)
    db.session.add(SessionOutcome(tenant_id=community_id, session_id=session.id, text=action.title,
                                  milestone_id=milestone.id, action_id=action.id))
    try:
        db.session.commit()
    except IntegrityError:  # the same action submitted twice at once: the first one stands
        db.session.rollback()
    flash(_("The action is added to the map's plan."))
    return _back(community_id, session.id, "#outcomes")


bp.add_url_rule(SESSIONS + "/<int:session_id>", "session", **_rule(READ, session_page))
bp.add_url_rule(SESSIONS + "/<int:session_id>/outcomes", "add_outcome", **_rule(WRITE, add_outcome, ("POST",)))
bp.add_url_rule(SESSIONS + "/<int:session_id>/actions", "add_action",
                **_rule(WRITE, add_session_action, ("POST",)))
bp.add_url_rule(SESSIONS + "/<int:session_id>/edit", "save", **_rule(WRITE, save_session, ("POST",)))
bp.add_url_rule(SESSIONS + "/<int:session_id>/outcomes/<int:outcome_id>", "save_outcome",
                **_rule(WRITE, save_outcome, ("POST",)))

AUDIT_LABELS = {"civic_course.session_recorded": _l("Recorded a strategic session"),
                "civic_course.session_changed": _l("Changed a strategic session"),
                "civic_course.outcome_changed": _l("Changed an outcome of a strategic session")}
