"""Pages of the change maps: the list with each map's progress, and a map with its stakeholders' grid.

Members draw maps from the problems their meetings found; the action plan is the
core's (`ACTION_PLAN_PAGE`). Staff who reach the community through its civic course
programme read the maps (`visibility`).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hromada.plugin_api import ACTION_PLAN_PAGE, Community, can, db, record_activity, requires, utc_now
from hromada_civic_course.access import COHORT, COMMENT, READ, WRITE
from hromada_civic_course.forms import MapForm, NewMapForm, StakeholderForm
from hromada_civic_course.maps import comments, grid, sharing_views, versions
from hromada_civic_course.maps.models import KINDS, LEVELS, TOOLS, ChangeMap, ChangeMapVersion, Stakeholder
from hromada_civic_course.maps.plan import plan_for, progress_of
from hromada_civic_course.meetings.models import Problem, ProblemMeeting
from hromada_civic_course.visibility import civic_programme, staff_programmes

bp = Blueprint("civic_maps", __name__, template_folder="templates")
MAPS = "/communities/<int:community_id>/civic-course/maps"


def _rule(action: str, view, methods=("GET",)):
    return {"view_func": requires(action, community="community_id")(view), "methods": list(methods)}


def _map(community_id: int, map_id: int) -> ChangeMap:
    found = db.session.scalars(select(ChangeMap).where(
        ChangeMap.id == map_id, ChangeMap.tenant_id == community_id,
        versions.maps_clause(community_id))).first()
    if found is None:
        abort(404)
    return found


def _back(community_id: int, map_id: int, anchor: str = ""):
    return redirect(url_for("civic_maps.change_map", community_id=community_id, map_id=map_id) + anchor)


def _problems(community_id: int) -> list[Problem]:
    return list(db.session.scalars(select(Problem).join(ProblemMeeting, ProblemMeeting.id == Problem.meeting_id)
                                   .where(Problem.tenant_id == community_id)
                                   .order_by(ProblemMeeting.held_on.desc(), Problem.id)))


def maps_page(community_id: int, form: NewMapForm | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    rows = db.session.execute(select(ChangeMap, Problem.title).join(Problem, Problem.id == ChangeMap.problem_id)
                              .where(ChangeMap.tenant_id == community_id,
                                     versions.maps_clause(community_id))
                              .order_by(ChangeMap.id)).all()
    can_write = can(WRITE, community_id)
    if can_write and form is None:
        form = NewMapForm(prefix="map", problems=_problems(community_id))
    adopted = versions.latest_adopted([row[0].id for row in rows], staff_programmes(community_id))
    return render_template("civic_maps/maps.html", community=community, rows=rows, adopted=adopted,
                           progress=progress_of([row[0] for row in rows]), can_write=can_write,
                           form=form if can_write else None), status


def create_map(community_id: int):
    form = NewMapForm(prefix="map", problems=_problems(community_id))
    if not form.validate_on_submit():
        return maps_page(community_id, form, 422)
    change_map = ChangeMap(tenant_id=community_id, problem_id=form.problem.data,
                           programme_id=civic_programme(community_id), goal=form.goal.data.strip(),
                           levels=["local"], tools=[], assumptions="")
    db.session.add(change_map)
    db.session.flush()
    plan_for(change_map)
    record_activity(community_id, utc_now())
    db.session.commit()
    flash(_("The change map is started: add its stakeholders, tools and actions."))
    return _back(community_id, change_map.id)


bp.add_url_rule(MAPS, "maps", **_rule(READ, maps_page))
bp.add_url_rule(MAPS, "create", **_rule(WRITE, create_map, ("POST",)))


def map_page(community_id: int, map_id: int, *, forms: dict | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    change_map = _map(community_id, map_id)
    problem = db.session.get(Problem, change_map.problem_id)
    stakeholders = db.session.scalars(select(Stakeholder).where(Stakeholder.map_id == change_map.id)
                                      .order_by(Stakeholder.influence.desc(), Stakeholder.interest.desc(),
                                                Stakeholder.name)).all()
    forms = forms or {}
    can_write = can(WRITE, community_id)
    adopted = db.session.scalars(select(ChangeMapVersion).where(
        ChangeMapVersion.map_id == change_map.id, versions.adopted_clause(staff_programmes(community_id)))
        .order_by(ChangeMapVersion.number.desc())).all()
    context = {
        "adopted": adopted,
        "community": community, "map": change_map, "problem": problem, "stakeholders": stakeholders,
        "chart": grid.layout(stakeholders), "levels": LEVELS, "tools": TOOLS, "kinds": KINDS,
        "progress": progress_of([change_map]).get(change_map.id), "plan_page": ACTION_PLAN_PAGE,
        "can_write": can_write,
    }
    if comments.readable(community_id, change_map):
        context["comments"] = comments.comments_of(change_map)
        if can(COMMENT, community_id) and comments.in_draft(change_map, adopted):
            context["comment_form"] = forms.get("comment") or comments.CommentForm(prefix="comment")
    if can(COHORT, community_id):  # the community's own members: what the cohort sees of the map
        context.update(sharing_views.share_context(community_id, change_map, adopted, forms))
    if can_write:
        context["form"] = forms.get("map") or MapForm(prefix="edit", obj=change_map)
        context["stakeholder_form"] = forms.get("stakeholder") or StakeholderForm(prefix="stakeholder")
    return render_template("civic_maps/map.html", **context), status


def save_map(community_id: int, map_id: int):
    change_map = _map(community_id, map_id)
    form = MapForm(prefix="edit")
    if not form.validate_on_submit():
        return map_page(community_id, map_id, forms={"map": form}, status=422)
    change_map.goal = form.goal.data.strip()
    change_map.levels = [key for key in LEVELS if key in form.levels.data]
    change_map.tools = [key for key in TOOLS if key in form.tools.data]
    change_map.assumptions = "\n".join(line.strip() for line in (form.assumptions.data or "").splitlines()
                                       if line.strip())
    db.session.commit()
    flash(_("The change map is saved."))
    return _back(community_id, map_id)


def add_stakeholder(community_id: int, map_id: int):
    change_map = _map(community_id, map_id)
    form = StakeholderForm(prefix="stakeholder")
    if not form.validate_on_submit():
        return map_page(community_id, map_id, forms={"stakeholder": form}, status=422)
    name = form.name.data.strip()
    if not name or db.session.scalar(select(Stakeholder.id).where(Stakeholder.map_id == change_map.id,
                                                                   Stakeholder.name == name)):
        form.name.errors = [_("This map already has a stakeholder with this name.") if name
                            else _("Name the stakeholder.")]
        return map_page(community_id, map_id, forms={"stakeholder": form}, status=422)
    db.session.add(Stakeholder(tenant_id=community_id, map_id=change_map.id, name=name, kind=form.kind.data,
                               influence=form.influence.data, interest=form.interest.data))
    try:
        db.session.commit()
    except IntegrityError:  # a double submit: stored once
        db.session.rollback()
    flash(_("The stakeholder is added."))
    return _back(community_id, map_id, "#stakeholders")


def remove_stakeholder(community_id: int, stakeholder_id: int):
    stakeholder = db.session.scalars(select(Stakeholder).where(Stakeholder.id == stakeholder_id,
                                                               Stakeholder.tenant_id == community_id)).first()
    if stakeholder is None:
        abort(404)
    map_id = stakeholder.map_id
    db.session.delete(stakeholder)
    db.session.commit()
    flash(_("The stakeholder is removed."))
    return _back(community_id, map_id, "#stakeholders")


bp.add_url_rule(MAPS + "/<int:map_id>", "change_map", **_rule(READ, map_page))
bp.add_url_rule(MAPS + "/<int:map_id>", "save", **_rule(WRITE, save_map, ("POST",)))
bp.add_url_rule(MAPS + "/<int:map_id>/stakeholders", "add_stakeholder",
                **_rule(WRITE, add_stakeholder, ("POST",)))
bp.add_url_rule("/communities/<int:community_id>/civic-course/stakeholders/<int:stakeholder_id>/remove",
                "remove_stakeholder", **_rule(WRITE, remove_stakeholder, ("POST",)))


def propose(community_id: int, map_id: int):
    """Freeze the map as it is and open a proposal to adopt exactly that version, shared with the programme."""
    change_map = _map(community_id, map_id)
    if not change_map.goal.strip():
        abort(404)
    version = versions.freeze_map(change_map, current_user.id)
    return redirect(url_for("decisions.new", community_id=community_id, subject=versions.SUBJECT,
                            subject_id=version.id, programme=change_map.programme_id))


def version_page(community_id: int, version_id: int):
    """Where a proposal about a version of a map leads: that map's page, if the person may read it."""
    version = db.session.scalars(select(ChangeMapVersion).where(ChangeMapVersion.id == version_id,
                                                                ChangeMapVersion.tenant_id == community_id)).first()
    if version is None:
        abort(404)
    return _back(community_id, _map(community_id, version.map_id).id, f"#version-{version.number}")


bp.add_url_rule(MAPS + "/<int:map_id>/propose", "propose", **_rule(WRITE, propose, ("POST",)))
bp.add_url_rule("/communities/<int:community_id>/civic-course/map-versions/<int:version_id>", "version",
                **_rule(READ, version_page))


def add_comment(community_id: int, map_id: int):
    return comments.add_comment(community_id, map_id, _map, map_page)


bp.add_url_rule(MAPS + "/<int:map_id>/comments", "comment", **_rule(COMMENT, add_comment, ("POST",)))
