"""Operators build a programme: its list, the programme itself, and its stages (added, set up,
moved, closed). The programme's page links to the pages other modules add for it."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hromada import authz
from hromada.extensions import db
from hromada.modules.communities.models import Enrolment
from hromada.modules.programmes import forms, operations
from hromada.modules.programmes.controllers.common import moved, programme_url, stage_or_404
from hromada.modules.programmes.models import Application, ApplicationStatus, Organisation, Programme
from hromada.modules.programmes.operations import OutOfDate, ProgrammeFields, Unchanged
from hromada.modules.programmes.stage_settings import settings_data, settings_form
from hromada.modules.programmes.util import programme_or_404, stage_types
from hromada.plugins import collect


def index(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    programmes = db.session.scalars(
        select(Programme)
        .options(selectinload(Programme.stages))
        .where(Programme.organisation_id == organisation.id)
        .order_by(Programme.starts_on.desc().nulls_last(), Programme.title)
    ).all()
    waiting = dict(
        db.session.execute(
            select(Application.programme_id, func.count(Application.id))
            .where(Application.organisation_id == organisation.id, Application.status == ApplicationStatus.SUBMITTED)
            .group_by(Application.programme_id)
        ).all()
    )
    return render_template("programmes/index.html", organisation=organisation, programmes=programmes, waiting=waiting)


def _programme_fields(form: forms.ProgrammeForm) -> ProgrammeFields:
    return ProgrammeFields(
        title=form.title.data.strip(), description=(form.description.data or "").strip(),
        languages=form.languages.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        stall_days=form.stall_days.data, main_language=str(get_locale()),
    )


def new(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    form = forms.ProgrammeForm(data={"languages": [str(get_locale())]} if request.method == "GET" else None)
    if not form.is_submitted():
        return render_template("programmes/programme_form.html", organisation=organisation, form=form, programme=None)
    if form.validate():
        try:
            programme = operations.create_programme(organisation.id, _programme_fields(form), current_user)
        except Unchanged as unchanged:
            form.title.errors.append(unchanged.message)
        else:
            flash(_("The programme is created as a draft: only your organisation's staff see it. "
                    "Add its stages, then publish it."), "info")
            return redirect(programme_url(programme))
    return render_template("programmes/programme_form.html", organisation=organisation, form=form, programme=None), 400


def show(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    return _render_programme(programme)


def _render_programme(programme: Programme, stage_form=None, status: int = 200, publication_error=None):
    types = stage_types()
    stages = programme.stages
    counts = dict(
        db.session.execute(
            select(Enrolment.current_stage_id, func.count(Enrolment.id))
            .where(Enrolment.programme_id == programme.id, Enrolment.organisation_id == programme.organisation_id)
            .group_by(Enrolment.current_stage_id)
        ).all()
    )
    waiting = db.session.scalar(
        select(func.count(Application.id)).where(
            Application.programme_id == programme.id, Application.status == ApplicationStatus.SUBMITTED
        )
    )
    if stage_form is None:
        stage_form = forms.NewStageForm(stage_types=types, formdata=None, data={"stage_count": len(stages)})
    return render_template(
        "programmes/programme.html", programme=programme, organisation=programme.organisation, stages=stages,
        stage_types=types, stage_form=stage_form, counts=counts, waiting=waiting,
        confirm=forms.ConfirmForm(formdata=None), links=_programme_links(programme),
        publication_error=publication_error,
        may_return_to_draft=not programme.is_draft and not operations.has_communities(programme.id),
        other_languages=_other_languages(programme),
    ), status


def _programme_links(programme: Programme) -> list:
    """(label, url) of the pages other modules add for this programme that this person may open."""
    links = collect(current_app.extensions["hromada.plugins"], "hromada_programme_links", programme=programme)
    return [
        (link.label, url_for(link.endpoint, organisation_id=programme.organisation_id, programme_id=programme.id))
        for link in sorted(links, key=lambda link: link.order)
        if authz.can(link.action, programme.organisation_id)
    ]


def edit(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    form = forms.ProgrammeForm(obj=programme if request.method == "GET" else None)
    if form.validate_on_submit():
        operations.change_programme(programme, _programme_fields(form), current_user)
        flash(_("The programme is saved."), "info")
        return redirect(programme_url(programme))
    status = 400 if form.is_submitted() else 200
    return render_template("programmes/programme_form.html", organisation=programme.organisation, form=form,
                           programme=programme), status


# --- Publication and the texts in other languages ---------------------------------


def publish(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    if not forms.ConfirmForm().validate():
        abort(400)
    try:
        operations.publish(programme, current_user)
    except OutOfDate as out_of_date:  # published already
        flash(out_of_date.message, "info")
    except Unchanged as unchanged:  # no stage yet
        return _render_programme(programme, status=409, publication_error=unchanged.message)
    else:
        flash(_("The programme is published: anyone can read its page, and apply while its call is open."), "info")
    return redirect(programme_url(programme))


def return_to_draft(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    if not forms.ConfirmForm().validate():
        abort(400)
    try:
        operations.return_to_draft(programme, current_user)
    except OutOfDate as out_of_date:  # a draft already
        flash(out_of_date.message, "info")
    except Unchanged as unchanged:  # a community applied or takes part
        return _render_programme(programme, status=409, publication_error=unchanged.message)
    else:
        flash(_("The programme is a draft again: only your organisation's staff see it."), "info")
    return redirect(programme_url(programme))


def _other_languages(programme: Programme) -> list[str]:
    """The programme's declared languages other than the one its main texts are written in."""
    return [code for code in programme.languages or [] if code != programme.language]


def texts(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    languages = _other_languages(programme)
    posted = request.method == "POST"
    form = forms.texts_form_class(languages)(
        data=None if posted else forms.texts_form_data(programme.translations or {}, languages))
    if posted and form.validate():
        operations.change_texts(programme, forms.texts_of(form, languages), current_user)
        flash(_("The texts are saved."), "info")
        return redirect(programme_url(programme))
    return render_template("programmes/texts_form.html", programme=programme, organisation=programme.organisation,
                           form=form, languages=languages), (400 if posted else 200)


# --- Stages -------------------------------------------------------------------------


def add_stage(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    types = stage_types()
    form = forms.NewStageForm(stage_types=types)
    if not form.validate():
        return _render_programme(programme, stage_form=form, status=400)
    try:
        stage = operations.add_stage(programme, types[form.stage_type.data], current_user,
                                     expected_count=form.stage_count.data)
    except OutOfDate as out_of_date:
        flash(out_of_date.message, "error")
        return redirect(programme_url(programme))
    flash(_("The stage is added. You can now set its dates and settings."), "info")
    return redirect(programme_url(programme, "programmes.edit_stage", stage_id=stage.id))


def edit_stage(organisation_id: int, programme_id: int, stage_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    stage = stage_or_404(programme, stage_id)
    stage_type = stage_types().get(stage.stage_type)
    posted = request.method == "POST"
    form = forms.StageForm(obj=None if posted else stage)
    settings = settings_form(stage_type, stage, formdata=request.form if posted else None)
    if posted:
        valid = form.validate_on_submit()
        # Validate the settings too, so that every mistake is shown at once.
        valid = (settings.validate() if settings is not None else True) and valid
        if valid:
            operations.change_stage(
                programme, stage, current_user, title=(form.title.data or "").strip(),
                starts_on=form.starts_on.data, ends_on=form.ends_on.data, capacity=form.capacity.data,
                settings=settings_data(settings) if settings is not None else None,
            )
            flash(_("The stage is saved."), "info")
            return redirect(programme_url(programme))
    return render_template(
        "programmes/stage_form.html", programme=programme, organisation=programme.organisation, stage=stage,
        stage_type=stage_type, form=form, settings=settings,
    ), (400 if posted else 200)


def move_stage(organisation_id: int, programme_id: int, stage_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    stage = stage_or_404(programme, stage_id)
    return moved(operations.move_stage, programme, stage, back=programme_url(programme))


def close_stage(organisation_id: int, programme_id: int, stage_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    stage = stage_or_404(programme, stage_id)
    form = forms.ConfirmForm()
    if request.method == "GET":
        return render_template("programmes/close_stage.html", programme=programme, stage=stage, form=form,
                               stage_types=stage_types(), organisation=programme.organisation)
    if not form.validate():
        abort(400)
    if operations.close_stage(programme, stage, current_user):
        flash(_("The stage is closed. It admits no new community; nothing was deleted."), "info")
    else:
        flash(_("This stage was closed already."), "info")
    return redirect(programme_url(programme))
