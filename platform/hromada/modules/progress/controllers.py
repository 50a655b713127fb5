"""Pages of the progress module: a community's progress, the cohort, moving on, staff assignment.

The progress page is the community's (its members and the staff who reach it
read it); the other pages are the organisation's, under its URL, so that
`@requires(..., organisation=...)` checks the operator and sets the context.
An id that does not belong to that organisation and programme is a 404.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from flask import Response, abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from hromada import authz, memo, tenancy
from hromada.caching import pages, versions
from hromada.errors import render_error
from hromada.extensions import db
from hromada.modules.accounts.labels import role_label
from hromada.modules.accounts.models import StaffMembership, StaffRole
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community, Enrolment, StaffAssignment
from hromada.modules.communities.visibility import organisations_in_view
from hromada.modules.programmes.models import Programme
from hromada.modules.programmes.util import programme_or_404
from hromada.modules.progress import charts
from hromada.modules.progress.cohort import (
    BUILT_IN_COLUMNS,
    CohortQuery,
    cohort_csv,
    cohort_lines,
    load_all,
    load_page,
    load_summary,
    programme_stages,
    programme_with_versions,
    stage_label,
    stage_short_label,
    status_label,
)
from hromada.modules.progress.forms import (
    STATUS_CHOICES,
    AdvanceForm,
    AssignStaffForm,
    CohortFilterForm,
    UnassignStaffForm,
    WithdrawForm,
)
from hromada.modules.progress.models import EnrolmentTransition, ProgressStatus, TransitionKind
from hromada.modules.progress.services import (
    StaleTransition,
    TransitionRefused,
    advance,
    all_met,
    plugin_columns,
    requirements_for,
    standings,
    withdraw,
)
from hromada.modules.progress.standings.evaluation import evaluations
from hromada.modules.progress.standings.model import CohortStanding
from hromada.navigation import safe_next
from hromada.plugins import collect

ASSIGNABLE_ROLES = (StaffRole.MENTOR, StaffRole.EXPERT, StaffRole.FACILITATOR)

def _helpers() -> dict:
    return {"stage_label": stage_label, "status_label": status_label, "role_label": role_label,
            "ProgressStatus": ProgressStatus, "TransitionKind": TransitionKind}


# --- The community's progress page --------------------------------------------


@lru_cache(maxsize=1)
def _progress_statement():
    """The enrolment, its community and programme, and the platform's version (built once: it is immutable)."""
    return (
        select(Enrolment, Community, Programme, versions.platform_version())
        .join(Community, Community.id == Enrolment.tenant_id)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(Enrolment.tenant_id == bindparam("community_id"), Enrolment.programme_id == bindparam("programme_id"))
    )


def community_progress(community_id: int, programme_id: int):
    found = db.session.execute(_progress_statement(), {"community_id": community_id,
                                                       "programme_id": programme_id}).first()
    if found is None:
        abort(404)
    enrolment, community, programme, platform_version = found
    seen_through = organisations_in_view(community_id)
    if seen_through is not None and enrolment.organisation_id not in seen_through:
        abort(404)  # the community's part in another organisation's programme
    # The versions first, the data after: a write committed in between makes the key older than the body,
    # never the body older than the key.
    kept = pages.page("progress.community_progress", (enrolment.id, enrolment.data_version, platform_version),
                      lambda: _progress_body(enrolment, community, programme),
                      lambda: " · ".join((_("Progress"), community.name)))
    db.session.commit()  # what was evaluated for the requirements is kept for the next view (standings)
    return kept.html


def _progress_body(enrolment: Enrolment, community: Community, programme: Programme) -> pages.Rendered:
    stages = programme_stages(programme)
    standing = standings([enrolment], stages)[enrolment.id]
    current_stage = next((stage for stage in stages if stage.id == enrolment.current_stage_id), None)
    with memo.scope():
        # The sections first: they read the most (all the stage's courses), the requirements then reuse it.
        sections = collect(current_app.extensions["hromada.plugins"], "hromada_progress_sections",
                           enrolment=enrolment, stage=current_stage, viewer=current_user._get_current_object())
        requirements = _requirements(enrolment, programme, stages, current_stage) if current_stage else []
    assignments = db.session.scalars(
        select(StaffAssignment).options(joinedload(StaffAssignment.user))
        .where(StaffAssignment.enrolment_id == enrolment.id).order_by(StaffAssignment.role, StaffAssignment.id)
    ).all()
    transitions = db.session.scalars(
        select(EnrolmentTransition).options(joinedload(EnrolmentTransition.actor))
        .where(EnrolmentTransition.enrolment_id == enrolment.id)
        .order_by(EnrolmentTransition.created_at, EnrolmentTransition.id)
    ).all()
    rendered_sections = [
        (section, Markup(render_template(section.template, **{**section.context, "enrolment": enrolment,
                                                               "stage": current_stage})))
        for section in sorted(sections, key=lambda section: section.order)
    ]
    can_move = authz.can("progress.move_enrolments", enrolment.organisation_id)
    forms = {}
    if can_move and current_stage is not None:
        here = request.path
        forms = {
            "advance": AdvanceForm(formdata=None, prefix="advance", stage_id=current_stage.id, next=here),
            "withdraw": WithdrawForm(formdata=None, prefix="withdraw", stage_id=current_stage.id, next=here),
        }
    segments = charts.timeline(stages, standing.stage_status, enrolment.current_stage_id, stage_label)
    return pages.Rendered(Markup(render_template(
        "progress/_progress_body.html", community=community, programme=programme, enrolment=enrolment,
        stages=stages, standing=standing, current_stage=current_stage, requirements=requirements,
        assignments=assignments, transitions=transitions, sections=rendered_sections, forms=forms,
        segments=segments, timeline_width=charts.TIMELINE_WIDTH, requirements_met=all_met(requirements),
        stage_by_id={stage.id: stage for stage in stages},
        can_assign=authz.can("progress.assign_staff", enrolment.organisation_id), **_helpers(),
    )))


def _requirements(enrolment: Enrolment, programme: Programme, stages, current_stage) -> list:
    """[(requirement, outcome)] of the current stage: kept in the read model, else evaluated and kept."""
    row = db.session.get(CohortStanding, enrolment.id)
    if row is None:  # no row yet: an enrolment made in a transaction still open elsewhere
        return requirements_for(current_stage, [enrolment])[enrolment.id]
    return evaluations(programme, stages, [row])[enrolment.id].outcomes


# --- The organisation's pages ---------------------------------------------------


def _enrolment(organisation_id: int, programme_id: int, enrolment_id: int) -> tuple[Programme, Enrolment]:
    programme = programme_or_404(organisation_id, programme_id)
    enrolment = db.session.scalars(
        select(Enrolment).where(Enrolment.id == enrolment_id, Enrolment.programme_id == programme.id,
                                Enrolment.organisation_id == organisation_id)
    ).first()
    if enrolment is None:
        abort(404)
    # Staff of the organisation read this one community's name and requirements; callers audit it.
    tenancy.allow_reading({enrolment.tenant_id})
    return programme, enrolment


def _audit_read(enrolment: Enrolment, action: str) -> None:
    record("staff.read_community", organisation_id=enrolment.organisation_id, community_id=enrolment.tenant_id,
           action_needed=action, path=request.path)
    db.session.commit()


def _filter_form(stages, columns) -> CohortFilterForm:
    form = CohortFilterForm(request.args)
    # Numbered short labels, as in the table: two stages of one type stay apart.
    form.stage.choices = [("", _("Every stage"))] + [
        (str(stage.id), f"{number}. {stage_short_label(stage)}") for number, stage in enumerate(stages, start=1)]
    # Labels translated here once, not again by each validation and rendering of the options.
    form.status.choices = [("", _("Every status"))] + [
        (value, str(status_label(ProgressStatus(value)))) for value in STATUS_CHOICES]
    form.sort.choices = [(key, str(label)) for key, label, _kind in BUILT_IN_COLUMNS] + [
        (column.key, str(column.label)) for column in columns]
    form.order.choices = [("asc", _("Ascending")), ("desc", _("Descending"))]
    return form


def _cohort_query(form: CohortFilterForm, columns) -> CohortQuery:
    key = form.sort.data or "stage"
    kinds = {key: kind for key, _label, kind in BUILT_IN_COLUMNS} | {column.key: column.kind for column in columns}
    return CohortQuery(
        stage_id=int(form.stage.data) if form.stage.data else None,
        status=form.status.data or None,
        stalled=bool(form.stalled.data),
        text=form.q.data,
        sort=key,
        kind=kinds.get(key, "text"),
        descending=form.order.data == "desc",
    )


def _cohort_setup(programme: Programme, total: int | None = None):
    """The programme's summary (totals and funnel), its plugins' columns and the validated filter form."""
    stages = programme_stages(programme)
    columns = plugin_columns(programme, [])
    form = _filter_form(stages, columns)
    return load_summary(programme, stages, total), columns, form, form.validate()


def cohort(organisation_id: int, programme_id: int):
    found = programme_with_versions(organisation_id, programme_id)
    if found is None:
        abort(404)
    programme, programme_versions, enrolled = found
    # Every argument is part of the key: the filters, the sort, the page, and the links built from them.
    key = (programme.id, programme_versions, tuple(sorted(request.args.items(multi=True))))
    kept = pages.page("progress.cohort", key, lambda: _cohort_body(organisation_id, programme, enrolled),
                      lambda: " · ".join((_("Cohort"), programme.title)))
    # Every view is audited, kept or not: the entry names the communities whose rows the operator sees.
    record("staff.read_cohort", organisation_id=organisation_id, programme_id=programme.id, view="page",
           communities=kept.facts["communities"], page=kept.facts["page"])
    db.session.commit()  # the audit entry
    return kept.html, kept.status


def _cohort_body(organisation_id: int, programme: Programme, enrolled: int) -> pages.Rendered:
    summary, columns, form, valid = _cohort_setup(programme, enrolled)
    page, filtered = None, False
    if valid:
        query = _cohort_query(form, columns)
        page = load_page(summary, query, form.page_number, current_app.config["HROMADA_COHORT_PAGE_SIZE"])
        filtered = query.filtered
    form.sort.data = form.sort.data or "stage"
    query = {key: value for key, value in request.args.items() if key in form._fields and value and key != "page"}
    stage_names = {stage.id: (str(stage_short_label(stage)), str(stage_label(stage))) for stage in summary.stages}
    status_names = {status: str(status_label(status)) for status in (*ProgressStatus, None)}
    body = Markup(render_template(
        "progress/_cohort_body.html", programme=programme, organisation_id=organisation_id, summary=summary,
        columns=columns, page=page, form=form, valid=valid,
        bars=charts.funnel_bars(summary.funnel, stage_short_label, stage_label),
        funnel=summary.funnel, query=query, filtered=filtered, built_in_columns=BUILT_IN_COLUMNS, chart=charts,
        lines=cohort_lines(page.rows, columns, organisation_id, programme.id, stage_names, status_names)
        if page else [],
        **_helpers(),
    ))
    facts = {"communities": sorted(row.tenant_id for row in page.rows) if page else [],
             "page": page.number if page else None}
    return pages.Rendered(body, facts, 200 if valid else 400)


def cohort_export(organisation_id: int, programme_id: int):
    summary, columns, form, valid = _cohort_setup(programme_or_404(organisation_id, programme_id))
    if not valid:
        messages = [str(message) for errors in form.errors.values() for message in errors]
        abort(Response(" ".join(messages), status=400, mimetype="text/plain"))
    rows = load_all(summary, _cohort_query(form, columns))
    record("staff.read_cohort", organisation_id=organisation_id, programme_id=summary.programme.id, view="csv",
           communities=sorted(row.tenant_id for row in rows))
    # The audit entry, before the first line leaves; the rows stay loaded (not expired) for the lines.
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    slug = re.sub(r"[^a-z0-9-]+", "-", summary.programme.slug.lower()).strip("-")[:60] or "programme"
    filename = f"cohort-{slug}-{date.today().isoformat()}.csv"

    def lines():
        yield "\ufeff"  # a byte order mark, so that spreadsheets read Cyrillic names as UTF-8
        yield from cohort_csv(rows, columns)

    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- Moving a community on --------------------------------------------------------


def _back(enrolment: Enrolment, form) -> str:
    return safe_next(form.next.data if form else None) or url_for(
        "progress.cohort", organisation_id=enrolment.organisation_id, programme_id=enrolment.programme_id)


def _decision_page(programme: Programme, enrolment: Enrolment, *, advance_form=None, withdraw_form=None,
                   message=None, status: int = 200):
    _audit_read(enrolment, "progress.move_enrolments")
    community = db.session.get(Community, enrolment.tenant_id)
    stages = programme_stages(programme)
    current_stage = next((stage for stage in stages if stage.id == enrolment.current_stage_id), None)
    requirements = requirements_for(current_stage, [enrolment])[enrolment.id] if current_stage else []
    standing = standings([enrolment], stages)[enrolment.id]
    if current_stage is not None:
        next_value = request.values.get("next") if request.method == "GET" else None
        advance_form = advance_form or AdvanceForm(formdata=None, prefix="advance", stage_id=current_stage.id,
                                                   next=next_value)
        withdraw_form = withdraw_form or WithdrawForm(formdata=None, prefix="withdraw", stage_id=current_stage.id,
                                                      next=next_value)
    return render_template(
        "progress/decision.html", programme=programme, enrolment=enrolment, community=community,
        current_stage=current_stage, requirements=requirements, standing=standing,
        advance_form=advance_form, withdraw_form=withdraw_form, message=message, stages=stages,
        requirements_met=all_met(requirements), **_helpers(),
    ), status


def advance_enrolment(organisation_id: int, programme_id: int, enrolment_id: int):
    programme, enrolment = _enrolment(organisation_id, programme_id, enrolment_id)
    if request.method == "GET":
        return _decision_page(programme, enrolment)
    form = AdvanceForm(prefix="advance")
    if not form.validate_on_submit():
        return _decision_page(programme, enrolment, advance_form=form, status=400)
    try:
        transition = advance(enrolment, current_user, reason=form.reason.data, override=form.override.data,
                             expected_stage_id=int(form.stage_id.data))
    except StaleTransition as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return redirect(_back(enrolment, form), 303)
    except TransitionRefused as refused:
        db.session.rollback()
        return _decision_page(programme, enrolment, advance_form=form, message=refused.message, status=400)
    db.session.commit()
    if transition.to_stage_id is None:
        flash(_("The community has completed the programme."), "success")
    else:
        flash(_("The community has moved to the next stage."), "success")
    return redirect(_back(enrolment, form), 303)


def withdraw_enrolment(organisation_id: int, programme_id: int, enrolment_id: int):
    programme, enrolment = _enrolment(organisation_id, programme_id, enrolment_id)
    form = WithdrawForm(prefix="withdraw")
    if not form.validate_on_submit():
        return _decision_page(programme, enrolment, withdraw_form=form, status=400)
    try:
        withdraw(enrolment, current_user, form.reason.data, expected_stage_id=int(form.stage_id.data))
    except StaleTransition as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return redirect(_back(enrolment, form), 303)
    except TransitionRefused as refused:
        db.session.rollback()
        return _decision_page(programme, enrolment, withdraw_form=form, message=refused.message, status=400)
    db.session.commit()
    flash(_("The community has left the programme."), "success")
    return redirect(_back(enrolment, form), 303)


# --- Staff assignment ------------------------------------------------------------


def _assignable(organisation_id: int) -> list[StaffMembership]:
    return db.session.scalars(
        select(StaffMembership).options(joinedload(StaffMembership.user))
        .where(StaffMembership.organisation_id == organisation_id, StaffMembership.role.in_(ASSIGNABLE_ROLES))
        .order_by(StaffMembership.role, StaffMembership.id)
    ).all()


def _staff_form(memberships) -> AssignStaffForm:
    form = AssignStaffForm()
    form.membership.choices = [("", _("Choose…"))] + [
        (str(membership.id), f"{membership.user.name} — {role_label(membership.role)}") for membership in memberships
    ]
    return form


def staff(organisation_id: int, programme_id: int, enrolment_id: int):
    programme, enrolment = _enrolment(organisation_id, programme_id, enrolment_id)
    memberships = _assignable(organisation_id)
    form = _staff_form(memberships)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            membership = next(m for m in memberships if str(m.id) == form.membership.data)
            message = _assign(enrolment, membership)
            flash(message, "success")
            return redirect(url_for("progress.staff", organisation_id=organisation_id, programme_id=programme.id,
                                    enrolment_id=enrolment.id), 303)
        status = 400
    _audit_read(enrolment, "progress.assign_staff")
    community = db.session.get(Community, enrolment.tenant_id)
    assignments = db.session.scalars(
        select(StaffAssignment).options(joinedload(StaffAssignment.user))
        .where(StaffAssignment.enrolment_id == enrolment.id).order_by(StaffAssignment.role, StaffAssignment.id)
    ).all()
    return render_template(
        "progress/staff.html", programme=programme, enrolment=enrolment, community=community,
        assignments=assignments, form=form, role_label=role_label,
    ), status


def _assign(enrolment: Enrolment, membership: StaffMembership) -> str:
    exists = db.session.scalars(select(StaffAssignment.id).where(
        StaffAssignment.enrolment_id == enrolment.id, StaffAssignment.user_id == membership.user_id,
        StaffAssignment.role == membership.role)).first()
    if exists:
        return _("%(name)s was already assigned.", name=membership.user.name)
    db.session.add(StaffAssignment(tenant_id=enrolment.tenant_id, organisation_id=enrolment.organisation_id,
                                   enrolment_id=enrolment.id, user_id=membership.user_id, role=membership.role))
    record("staff_assigned", organisation_id=enrolment.organisation_id, community_id=enrolment.tenant_id,
           enrolment_id=enrolment.id, user_id=membership.user_id, role=membership.role.value)
    try:
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once: the first one assigned
        db.session.rollback()
        return _("%(name)s was already assigned.", name=membership.user.name)
    return _("%(name)s is assigned.", name=membership.user.name)


def unassign_staff(organisation_id: int, programme_id: int, enrolment_id: int):
    programme, enrolment = _enrolment(organisation_id, programme_id, enrolment_id)
    form = UnassignStaffForm()
    if not form.validate_on_submit():
        _audit_read(enrolment, "progress.assign_staff")
        messages = [str(message) for errors in form.errors.values() for message in errors]
        return render_error(400, " ".join(messages))
    assignment = db.session.scalars(select(StaffAssignment).where(
        StaffAssignment.id == int(form.assignment.data), StaffAssignment.enrolment_id == enrolment.id)).first()
    if assignment is not None:
        removed = db.session.execute(
            delete(StaffAssignment).where(StaffAssignment.id == assignment.id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if removed:
            record("staff_unassigned", organisation_id=organisation_id, community_id=enrolment.tenant_id,
                   enrolment_id=enrolment.id, user_id=assignment.user_id, role=assignment.role.value)
        db.session.commit()
        flash(_("The assignment is removed."), "success")
    else:
        flash(_("The assignment had already been removed."), "success")
    return redirect(url_for("progress.staff", organisation_id=organisation_id, programme_id=programme.id,
                            enrolment_id=enrolment.id), 303)
