"""A community's coordinator sees its applications, with the calls it could still answer, and
applies to an open call for the community."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hromada.extensions import db
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.programmes import admission, forms
from hromada.modules.programmes.controllers.common import open_call_programme
from hromada.modules.programmes.labels import STATUS_LABELS
from hromada.modules.programmes.models import Application, Programme
from hromada.modules.programmes.operations import OutOfDate
from hromada.modules.programmes.util import open_calls, stage_types


def community_applications(community_id: int):
    community = db.get_or_404(Community, community_id)
    mine = db.session.scalars(
        select(Application)
        .options(joinedload(Application.programme).joinedload(Programme.organisation))
        .where(Application.tenant_id == community.id)
        .order_by(Application.submitted_at.desc())
    ).all()
    enrolled = set(db.session.scalars(select(Enrolment.programme_id).where(Enrolment.tenant_id == community.id)))
    applied = {application.programme_id for application in mine}
    calls = [programme for programme in open_calls() if programme.id not in applied | enrolled]
    return render_template(
        "programmes/community_applications.html", community=community, applications=mine, calls=calls,
        status_labels=STATUS_LABELS,
    )


def community_apply(community_id: int, programme_id: int):
    community = db.get_or_404(Community, community_id)
    back = url_for("programmes.community_applications", community_id=community.id)
    programme = open_call_programme(programme_id)
    if programme is None:
        return render_template("programmes/call_closed.html"), 404
    # Checked before the form is even shown: a community applies once, and not to a programme it takes part in.
    existing = db.session.scalar(
        select(Application.id).where(Application.tenant_id == community.id, Application.programme_id == programme.id)
    )
    if existing is not None:
        flash(admission.APPLIED_ALREADY, "info")
        return redirect(back)
    if db.session.scalar(
        select(Enrolment.id).where(Enrolment.tenant_id == community.id, Enrolment.programme_id == programme.id)
    ):
        flash(_("Your community takes part in this programme already."), "info")
        return redirect(back)
    questions = programme.questions
    form = forms.answers_form(questions, base=forms.ApplyForm, community_id=community.id)()
    if form.validate_on_submit():
        try:
            admission.submit_application(community.id, programme, forms.collected_answers(form, questions),
                                         current_user)
        except OutOfDate as out_of_date:  # the same form, sent twice at once
            flash(out_of_date.message, "info")
        except admission.NotPublic:  # returned to draft since the page was shown
            return render_template("programmes/call_closed.html"), 404
        else:
            flash(_("The application is sent. The organisers will answer here."), "info")
        return redirect(back)
    return render_template(
        "programmes/community_apply.html", community=community, programme=programme,
        organisation=programme.organisation, form=form, questions=questions, field_name=forms.field_name,
        stage_types=stage_types(),
    ), (400 if form.is_submitted() else 200)
