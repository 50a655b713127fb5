"""Operators read a programme's applications, with the names of the communities that sent them
(an audited read), and admit or decline each one, once."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, func, select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community
from hromada.modules.programmes import admission, forms
from hromada.modules.programmes.controllers.common import application_or_404, programme_url
from hromada.modules.programmes.labels import STATUS_LABELS
from hromada.modules.programmes.models import Application, ApplicationStatus, Programme
from hromada.modules.programmes.operations import OutOfDate, Unchanged
from hromada.modules.programmes.util import programme_or_404
from hromada.modules.questionnaires import operations as questionnaires
from hromada.paging import Page, bounds, requested_number


def applications(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    return _render_applications(programme)


PAGE_SIZE = 25  # applications are read whole (their answers), so fewer to a page than a table's rows
# Waiting for a decision first, then admitted, then declined; each by the day it was sent.
STATUS_ORDER = {ApplicationStatus.SUBMITTED: 0, ApplicationStatus.ADMITTED: 1, ApplicationStatus.DECLINED: 2}


def _shown_status() -> ApplicationStatus | None:
    """The status the list is filtered by (?status=…); anything else shows every application."""
    value = request.args.get("status", "")
    return ApplicationStatus(value) if value in {status.value for status in ApplicationStatus} else None


def list_values() -> dict:
    """The list's filter and page, for links and forms that come back to the same page."""
    return {key: request.args[key] for key in ("status", "page") if request.args.get(key)}


def _render_applications(programme: Programme, *, failed: dict | None = None, status: int = 200):
    """The programme's applications, 25 a page, with the names of their communities (readable through the
    application; the read of the page's communities is audited). A fixed number of queries at any size: at
    8,000 applications the page showed all of them, with two forms each (3 s)."""
    shown = _shown_status()
    mine = (Application.programme_id == programme.id, Application.organisation_id == programme.organisation_id)
    counts = {found: count for found, count in db.session.execute(
        select(Application.status, func.count()).where(*mine).group_by(Application.status))}
    matching = counts.get(shown, 0) if shown else sum(counts.values())
    number, pages = bounds(requested_number(), matching, PAGE_SIZE)
    query = (select(Application).where(*mine, *([Application.status == shown] if shown else []))
             .order_by(case(STATUS_ORDER, value=Application.status), Application.submitted_at, Application.id)
             .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE))
    rows = db.session.scalars(query).all()
    names = {}
    community_ids = sorted({application.tenant_id for application in rows})
    if community_ids:
        tenancy.allow_reading(community_ids)
        record("staff.read_applications", organisation_id=programme.organisation_id, programme_id=programme.id,
               communities=community_ids)
        db.session.commit()
        # The commit expired the rows: load them again in one query, not one per row.
        rows = db.session.scalars(query).all()
        names = dict(db.session.execute(select(Community.id, Community.name).where(Community.id.in_(community_ids))).all())
    deciders = {}
    decider_ids = {application.decided_by_id for application in rows if application.decided_by_id}
    if decider_ids:
        deciders = {user.id: user.name for user in db.session.scalars(select(User).where(User.id.in_(decider_ids)))}
    failed = failed or {}
    return render_template(
        "programmes/applications.html", programme=programme, organisation=programme.organisation,
        applications=rows, names=names, deciders=deciders, versions=questionnaires.versions_of(programme.questionnaire_id),
        status_labels=STATUS_LABELS, counts=counts, shown=shown, list_values=list_values(),
        page=Page(rows=rows, number=number, pages=pages, matching=matching),
        admit_forms={a.id: failed.get(("admit", a.id)) or _decision_form(forms.DecisionForm, "admit", a, formdata=None)
                     for a in rows},
        decline_forms={a.id: failed.get(("decline", a.id)) or _decision_form(forms.DeclineForm, "decline", a, formdata=None)
                       for a in rows},
    ), status


def _decision_form(form_class, kind: str, application: Application, **kwargs):
    # One form per application on the page, each with its own field ids. The page's
    # CSRF token is checked for every POST by CSRFProtect, so the prefixed form has none.
    return form_class(prefix=f"{kind}-{application.id}", meta={"csrf": False}, **kwargs)


def admit(organisation_id: int, programme_id: int, application_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    application = application_or_404(programme, application_id)
    form = _decision_form(forms.DecisionForm, "admit", application)
    if not form.validate():
        return _render_applications(programme, failed={("admit", application.id): form}, status=400)
    try:
        admission.admit(programme, application, current_user, message=(form.message.data or "").strip())
    except OutOfDate as out_of_date:
        flash(out_of_date.message, "info")
    except Unchanged as unchanged:  # no open stage, or it is full: the operator acts on the programme first
        form.message.errors.append(unchanged.message)
        return _render_applications(programme, failed={("admit", application.id): form}, status=409)
    else:
        flash(_("The community is admitted and enrolled in the first open stage."), "info")
    return redirect(programme_url(programme, "programmes.applications", **list_values()))


def decline(organisation_id: int, programme_id: int, application_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    application = application_or_404(programme, application_id)
    form = _decision_form(forms.DeclineForm, "decline", application)
    if not form.validate():
        return _render_applications(programme, failed={("decline", application.id): form}, status=400)
    try:
        admission.decline(programme, application, current_user, message=form.message.data.strip())
    except OutOfDate as out_of_date:
        flash(out_of_date.message, "info")
    else:
        flash(_("The application is declined; the community sees your message."), "info")
    return redirect(programme_url(programme, "programmes.applications", **list_values()))
