"""The operator's pages of the internships: host organisations and placements of a programme, a placement's
applications (select or decline, under the placement's lock), and what the operator records for an intern.

Every query names the organisation (`organisation_id`) and the programme; the
applications are the rows the communities share with it.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hromada.plugin_api import Community, Programme, Stage, User, db, requires, tenancy_scope
from hromada_civic_course.access import PLACEMENTS
from hromada_civic_course.internships import operations
from hromada_civic_course.internships.forms import HostForm, PlacementForm, RecordForm
from hromada_civic_course.internships.models import (
    HOST_KINDS,
    STATUS_NAMES,
    ApplicationStatus,
    HostOrganisation,
    InternshipApplication,
    LogbookEntry,
    Placement,
)
from hromada_civic_course.visibility import STAGE_TYPE

bp = Blueprint("civic_placements", __name__, template_folder="templates")
PROGRAMME = "/organisations/<int:organisation_id>/programmes/<int:programme_id>/internships"


def _rule(view, methods=("GET",)):
    return {"view_func": requires(PLACEMENTS, organisation="organisation_id")(view), "methods": list(methods)}


def civic_programme_or_404(organisation_id: int, programme_id: int) -> Programme:
    """The organisation's programme, if it has a civic course stage (where internships are offered)."""
    programme = db.session.scalars(select(Programme).where(
        Programme.id == programme_id, Programme.organisation_id == organisation_id,
        Programme.id.in_(select(Stage.programme_id).where(Stage.stage_type == STAGE_TYPE)))).first()
    if programme is None:
        abort(404)
    return programme


def _hosts(organisation_id: int) -> list[HostOrganisation]:
    return list(db.session.scalars(select(HostOrganisation).where(HostOrganisation.organisation_id == organisation_id)
                                   .order_by(HostOrganisation.name)))


def internships_page(organisation_id: int, programme_id: int, forms: dict | None = None, status: int = 200):
    programme = civic_programme_or_404(organisation_id, programme_id)
    hosts = _hosts(organisation_id)
    placements = db.session.execute(
        select(Placement, HostOrganisation).join(HostOrganisation, HostOrganisation.id == Placement.host_id)
        .where(Placement.organisation_id == organisation_id, Placement.programme_id == programme.id)
        .order_by(Placement.starts_on.desc(), Placement.id.desc())).all()
    forms = forms or {}
    return render_template(
        "civic_internships/programme.html", programme=programme, organisation_id=organisation_id, hosts=hosts,
        kinds=HOST_KINDS, placements=placements,
        counts=operations.selected_counts(placement.id for placement, _host in placements),
        host_form=forms.get("host") or HostForm(prefix="host"),
        host_forms={host.id: forms.get(("host", host.id)) or HostForm(prefix=f"host-{host.id}", obj=host)
                    for host in hosts},
        placement_form=forms.get("placement") or PlacementForm(prefix="placement", hosts=hosts)), status


def add_host(organisation_id: int, programme_id: int):
    civic_programme_or_404(organisation_id, programme_id)
    form = HostForm(prefix="host")
    if not form.validate_on_submit():
        return internships_page(organisation_id, programme_id, {"host": form}, 422)
    if db.session.scalar(select(HostOrganisation.id).where(HostOrganisation.organisation_id == organisation_id,
                                                           HostOrganisation.name == form.name.data)):
        form.name.errors = [_("A host organisation with this name is already listed.")]
        return internships_page(organisation_id, programme_id, {"host": form}, 422)
    db.session.add(HostOrganisation(organisation_id=organisation_id, name=form.name.data, kind=form.kind.data,
                                    country=form.country.data, languages=form.languages.data or ""))
    try:
        db.session.commit()
    except IntegrityError:  # a double submit: stored once
        db.session.rollback()
    flash(_("The host organisation is added."))
    return redirect(url_for("civic_placements.internships", organisation_id=organisation_id,
                            programme_id=programme_id) + "#placements")


def add_placement(organisation_id: int, programme_id: int):
    programme = civic_programme_or_404(organisation_id, programme_id)
    form = PlacementForm(prefix="placement", hosts=_hosts(organisation_id))
    if not form.validate_on_submit():
        return internships_page(organisation_id, programme_id, {"placement": form}, 422)
    placement = Placement(organisation_id=organisation_id, programme_id=programme.id, host_id=form.host.data,
                          starts_on=form.starts_on.data, ends_on=form.ends_on.data, places=form.places.data,
                          tasks=form.tasks.data, language=form.language.data)
    db.session.add(placement)
    db.session.commit()
    flash(_("The placement is offered to the programme's communities in the civic course."))
    return redirect(url_for("civic_placements.placement", organisation_id=organisation_id, programme_id=programme_id,
                            placement_id=placement.id))


def save_host(organisation_id: int, programme_id: int, host_id: int):
    """Change a host organisation of the organisation (every programme's placements at it show the change)."""
    civic_programme_or_404(organisation_id, programme_id)
    host = db.session.scalars(select(HostOrganisation).where(HostOrganisation.id == host_id,
                                                             HostOrganisation.organisation_id == organisation_id)).first()
    if host is None:
        abort(404)
    form = HostForm(prefix=f"host-{host.id}")
    if not form.validate_on_submit():
        return internships_page(organisation_id, programme_id, {("host", host.id): form}, 422)
    if db.session.scalar(select(HostOrganisation.id).where(HostOrganisation.organisation_id == organisation_id,
                                                           HostOrganisation.name == form.name.data,
                                                           HostOrganisation.id != host.id)):
        form.name.errors = [_("A host organisation with this name is already listed.")]
        return internships_page(organisation_id, programme_id, {("host", host.id): form}, 422)
    host.name, host.kind, host.country = form.name.data, form.kind.data, form.country.data
    host.languages = form.languages.data or ""
    operations.audit_change("civic_course.host_changed", organisation_id, host_id=host.id)
    try:
        db.session.commit()
    except IntegrityError:  # the name taken at the same instant: nothing is saved
        db.session.rollback()
        form.name.errors = [_("A host organisation with this name is already listed.")]
        return internships_page(organisation_id, programme_id, {("host", host_id): form}, 422)
    flash(_("The host organisation is saved."))
    return redirect(url_for("civic_placements.internships", organisation_id=organisation_id,
                            programme_id=programme_id) + f"#host-{host.id}")


bp.add_url_rule(PROGRAMME, "internships", **_rule(internships_page))
bp.add_url_rule(PROGRAMME + "/hosts/<int:host_id>", "save_host", **_rule(save_host, ("POST",)))
bp.add_url_rule(PROGRAMME + "/hosts", "add_host", **_rule(add_host, ("POST",)))
bp.add_url_rule(PROGRAMME + "/placements", "add_placement", **_rule(add_placement, ("POST",)))


def _placement(organisation_id: int, programme_id: int, placement_id: int) -> tuple[Placement, HostOrganisation]:
    found = db.session.execute(
        select(Placement, HostOrganisation).join(HostOrganisation, HostOrganisation.id == Placement.host_id)
        .where(Placement.id == placement_id, Placement.organisation_id == organisation_id,
               Placement.programme_id == programme_id)).first()
    if found is None:
        abort(404)
    return found[0], found[1]


def placement_page(organisation_id: int, programme_id: int, placement_id: int, forms: dict | None = None,
                   status: int = 200):
    programme = civic_programme_or_404(organisation_id, programme_id)
    placement, host = _placement(organisation_id, programme_id, placement_id)
    applications = db.session.execute(
        select(InternshipApplication, User).join(User, User.id == InternshipApplication.user_id)
        .where(InternshipApplication.placement_id == placement.id,
               InternshipApplication.organisation_id == organisation_id)
        .order_by(InternshipApplication.created_at, InternshipApplication.id)).all()
    tenant_ids = frozenset(application.tenant_id for application, _user in applications)
    # The names of the communities that applied: the operator reads them as for the cohort, no more.
    with tenancy_scope(reader_tenants=tenant_ids):
        communities = dict(db.session.execute(select(Community.id, Community.name)
                                              .where(Community.id.in_(tenant_ids))).all())
    logbooks: dict[int, list] = {}
    for entry in db.session.scalars(select(LogbookEntry).where(
            LogbookEntry.application_id.in_([application.id for application, _user in applications]),
            LogbookEntry.organisation_id == organisation_id).order_by(LogbookEntry.written_on, LogbookEntry.id)):
        logbooks.setdefault(entry.application_id, []).append(entry)
    forms = forms or {}
    records = {application.id: forms.get(application.id) or RecordForm(prefix=f"record-{application.id}",
                                                                        obj=application)
               for application, _user in applications if application.status == ApplicationStatus.SELECTED.value}
    selected = sum(1 for application, _user in applications if application.status == ApplicationStatus.SELECTED.value)
    edit = forms.get("placement") or PlacementForm(prefix="edit", hosts=_hosts(organisation_id), obj=placement,
                                                    host=placement.host_id)
    return render_template(
        "civic_internships/placement.html", programme=programme, organisation_id=organisation_id,
        placement=placement, host=host, kinds=HOST_KINDS, edit_form=edit, applications=applications, communities=communities,
        logbooks=logbooks, records=records, statuses=STATUS_NAMES, selected=selected,
        APPLIED=ApplicationStatus.APPLIED.value, SELECTED=ApplicationStatus.SELECTED.value), status


def _application(organisation_id: int, programme_id: int, placement_id: int,
                 internship_id: int) -> InternshipApplication:
    _placement(organisation_id, programme_id, placement_id)
    application = db.session.scalars(select(InternshipApplication).where(
        InternshipApplication.id == internship_id, InternshipApplication.placement_id == placement_id,
        InternshipApplication.organisation_id == organisation_id)).first()
    if application is None:
        abort(404)
    return application


def _back(organisation_id: int, programme_id: int, placement_id: int, anchor: str = ""):
    return redirect(url_for("civic_placements.placement", organisation_id=organisation_id, programme_id=programme_id,
                            placement_id=placement_id) + anchor)


def _decide(organisation_id: int, programme_id: int, placement_id: int, internship_id: int, selected: bool):
    civic_programme_or_404(organisation_id, programme_id)
    application = _application(organisation_id, programme_id, placement_id, internship_id)
    try:
        operations.decide(application, selected)
        db.session.commit()
    except operations.Refused as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return _back(organisation_id, programme_id, placement_id, f"#internship-{internship_id}")
    flash(_("The intern is selected.") if selected else _("The application is declined."))
    return _back(organisation_id, programme_id, placement_id, f"#internship-{internship_id}")


def select_intern(organisation_id: int, programme_id: int, placement_id: int, internship_id: int):
    return _decide(organisation_id, programme_id, placement_id, internship_id, True)


def decline(organisation_id: int, programme_id: int, placement_id: int, internship_id: int):
    return _decide(organisation_id, programme_id, placement_id, internship_id, False)


def record(organisation_id: int, programme_id: int, placement_id: int, internship_id: int):
    """The agreement date, the travel details and the host's evaluation of a selected intern."""
    civic_programme_or_404(organisation_id, programme_id)
    application = _application(organisation_id, programme_id, placement_id, internship_id)
    if application.status != ApplicationStatus.SELECTED.value:
        abort(404)
    form = RecordForm(prefix=f"record-{application.id}")
    if not form.validate_on_submit():
        return placement_page(organisation_id, programme_id, placement_id, {application.id: form}, 422)
    application.agreement_on = form.agreement_on.data
    application.travel, application.host_evaluation = form.travel.data or "", form.host_evaluation.data or ""
    db.session.commit()
    flash(_("The intern's record is saved."))
    return _back(organisation_id, programme_id, placement_id, f"#internship-{internship_id}")


def save_placement(organisation_id: int, programme_id: int, placement_id: int):
    """Change a placement: its host, dates, places, tasks and language. Never fewer places than interns selected,
    counted under the placement's lock (`operations.change_placement`)."""
    civic_programme_or_404(organisation_id, programme_id)
    placement, _host = _placement(organisation_id, programme_id, placement_id)
    form = PlacementForm(prefix="edit", hosts=_hosts(organisation_id))
    if not form.validate_on_submit():
        return placement_page(organisation_id, programme_id, placement_id, {"placement": form}, 422)
    try:
        operations.change_placement(placement, host_id=form.host.data, starts_on=form.starts_on.data,
                                    ends_on=form.ends_on.data, places=form.places.data, tasks=form.tasks.data,
                                    language=form.language.data)
    except operations.Refused as refused:
        db.session.rollback()
        form.places.errors = [str(refused.message)]
        return placement_page(organisation_id, programme_id, placement_id, {"placement": form}, 422)
    db.session.commit()
    flash(_("The placement is saved."))
    return _back(organisation_id, programme_id, placement_id)


PLACEMENT = PROGRAMME + "/placements/<int:placement_id>"
bp.add_url_rule(PLACEMENT + "/edit", "save_placement", **_rule(save_placement, ("POST",)))
bp.add_url_rule(PLACEMENT, "placement", **_rule(placement_page))
bp.add_url_rule(PLACEMENT + "/interns/<int:internship_id>/select", "select", **_rule(select_intern, ("POST",)))
bp.add_url_rule(PLACEMENT + "/interns/<int:internship_id>/decline", "decline", **_rule(decline, ("POST",)))
bp.add_url_rule(PLACEMENT + "/interns/<int:internship_id>/record", "record", **_rule(record, ("POST",)))
