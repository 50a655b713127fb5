"""A community's pages of the internships: the placements offered to it, its members' applications, and an
intern's placement with the logbook they keep and their evaluation.

Only the community's members open them (`INTERNSHIPS`): mentors and other staff
do not, and the operators follow the applications on their own pages.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from hromada.plugin_api import Community, CommunityRole, action_owners, current_principal, db, requires
from hromada_civic_course.access import INTERNSHIPS
from hromada_civic_course.internships import operations
from hromada_civic_course.internships.forms import ApplyForm, LogbookForm, ReportForm
from hromada_civic_course.internships.models import (
    HOST_KINDS,
    STATUS_NAMES,
    ApplicationStatus,
    HostOrganisation,
    InternshipApplication,
    LogbookEntry,
    Placement,
)
from hromada_civic_course.visibility import civic_programme

bp = Blueprint("civic_internships", __name__, template_folder="templates")
INTERNSHIPS_PATH = "/communities/<int:community_id>/civic-course/internships"


def _rule(view, methods=("GET",)):
    return {"view_func": requires(INTERNSHIPS, community="community_id")(view), "methods": list(methods)}


def _is_coordinator(community_id: int) -> bool:
    return current_principal().memberships.get(community_id) == CommunityRole.COORDINATOR


def _who_may_go(community_id: int) -> list:
    """A coordinator nominates any member; a member applies for themselves."""
    members = action_owners(community_id)
    return members if _is_coordinator(community_id) else [user for user in members if user.id == current_user.id]


def _offers(community_id: int) -> list[Placement]:
    return operations.open_placements(civic_programme(community_id))


def internships_page(community_id: int, form: ApplyForm | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    offers = _offers(community_id)
    applications = db.session.execute(
        select(InternshipApplication, Placement, HostOrganisation)
        .join(Placement, Placement.id == InternshipApplication.placement_id)
        .join(HostOrganisation, HostOrganisation.id == Placement.host_id)
        .where(InternshipApplication.tenant_id == community_id)
        .options(selectinload(InternshipApplication.intern))
        .order_by(Placement.starts_on.desc(), InternshipApplication.id)).all()
    form = form or ApplyForm(prefix="apply", placements=offers, members=_who_may_go(community_id))
    return render_template("civic_internships/community.html", community=community, offers=offers,
                           applications=applications, kinds=HOST_KINDS, statuses=STATUS_NAMES, form=form), status


def apply(community_id: int):
    offers = _offers(community_id)
    form = ApplyForm(prefix="apply", placements=offers, members=_who_may_go(community_id))
    if not form.validate_on_submit():
        return internships_page(community_id, form, 422)
    placement = next(placement for placement in offers if placement.id == form.placement.data)
    nominated_by = current_user.id if form.intern.data != current_user.id else None
    try:
        application = operations.apply(community_id, placement, intern_id=form.intern.data,
                                       nominated_by_id=nominated_by, motivation=form.motivation.data,
                                       languages=form.languages.data or "")
        db.session.commit()
    except IntegrityError:  # sent twice at once: the first one stands
        db.session.rollback()
        application = db.session.scalars(select(InternshipApplication).where(
            InternshipApplication.placement_id == placement.id,
            InternshipApplication.user_id == form.intern.data)).one()
    flash(_("The application is sent to the programme's operator."))
    return _back(community_id, application.id)


bp.add_url_rule(INTERNSHIPS_PATH, "internships", **_rule(internships_page))
bp.add_url_rule(INTERNSHIPS_PATH, "apply", **_rule(apply, ("POST",)))


def _application(community_id: int, internship_id: int):
    found = db.session.execute(
        select(InternshipApplication, Placement, HostOrganisation)
        .join(Placement, Placement.id == InternshipApplication.placement_id)
        .join(HostOrganisation, HostOrganisation.id == Placement.host_id)
        .where(InternshipApplication.id == internship_id, InternshipApplication.tenant_id == community_id)
        .options(selectinload(InternshipApplication.intern))).first()
    if found is None:
        abort(404)
    return found


def _back(community_id: int, internship_id: int, anchor: str = ""):
    return redirect(url_for("civic_internships.internship", community_id=community_id,
                            internship_id=internship_id) + anchor)


def internship_page(community_id: int, internship_id: int, forms: dict | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    application, placement, host = _application(community_id, internship_id)
    entries = db.session.scalars(select(LogbookEntry).where(LogbookEntry.application_id == application.id,
                                                            LogbookEntry.tenant_id == community_id)
                                 .order_by(LogbookEntry.written_on, LogbookEntry.id)).all()
    is_intern = application.user_id == current_user.id
    selected = application.status == ApplicationStatus.SELECTED.value
    forms = forms or {}
    return render_template(
        "civic_internships/internship.html", community=community, application=application, placement=placement,
        host=host, kinds=HOST_KINDS, statuses=STATUS_NAMES, entries=entries, selected=selected,
        may_withdraw=application.status in operations.OPEN and (is_intern or _is_coordinator(community_id)),
        logbook_form=(forms.get("logbook") or LogbookForm(prefix="logbook")) if is_intern and selected else None,
        report_form=(forms.get("report") or ReportForm(prefix="report", obj=application))
        if is_intern and selected else None), status


def _intern_of_a_selected(community_id: int, internship_id: int) -> InternshipApplication:
    application = _application(community_id, internship_id)[0]
    if application.user_id != current_user.id or application.status != ApplicationStatus.SELECTED.value:
        abort(403)  # only the intern keeps the logbook and evaluates, once selected
    return application


def add_entry(community_id: int, internship_id: int):
    application = _intern_of_a_selected(community_id, internship_id)
    form = LogbookForm(prefix="logbook")
    if not form.validate_on_submit():
        return internship_page(community_id, internship_id, {"logbook": form}, 422)
    db.session.add(LogbookEntry(tenant_id=community_id, organisation_id=application.organisation_id,
                                application_id=application.id, written_on=form.written_on.data, text=form.text.data))
    db.session.commit()
    flash(_("The logbook entry is added."))
    return _back(community_id, internship_id, "#logbook")


def save_report(community_id: int, internship_id: int):
    application = _intern_of_a_selected(community_id, internship_id)
    form = ReportForm(prefix="report")
    if not form.validate_on_submit():
        return internship_page(community_id, internship_id, {"report": form}, 422)
    application.intern_evaluation = form.intern_evaluation.data
    db.session.commit()
    flash(_("Your evaluation is saved."))
    return _back(community_id, internship_id, "#evaluation")


def withdraw(community_id: int, internship_id: int):
    application = _application(community_id, internship_id)[0]
    if application.user_id != current_user.id and not _is_coordinator(community_id):
        abort(403)
    try:
        operations.withdraw(application)
        db.session.commit()
    except operations.Refused as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return _back(community_id, internship_id)
    flash(_("The application is withdrawn."))
    return _back(community_id, internship_id)


ONE = INTERNSHIPS_PATH + "/<int:internship_id>"
bp.add_url_rule(ONE, "internship", **_rule(internship_page))
bp.add_url_rule(ONE + "/logbook", "add_entry", **_rule(add_entry, ("POST",)))
bp.add_url_rule(ONE + "/evaluation", "save_report", **_rule(save_report, ("POST",)))
bp.add_url_rule(ONE + "/withdraw", "withdraw", **_rule(withdraw, ("POST",)))
