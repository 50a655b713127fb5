"""An organisation's consultation pages for one of its programmes: the topics it offers, and its figures."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from hromada import tenancy
from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.consultations import kpis, operations
from hromada.modules.consultations.controllers.common import chart
from hromada.modules.consultations.forms import ConfirmForm, ProgrammeTopicForm
from hromada.modules.consultations.models import Consultation, ConsultationStatus, ProgrammeTopic
from hromada.modules.consultations.operations import Unchanged
from hromada.modules.consultations.topics import plugin_topics
from hromada.modules.consultations.util import programme_topic_titles
from hromada.modules.programmes.models import Programme
from hromada.modules.programmes.util import programme_or_404


def programme_topics(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id, selectinload(Programme.stages))
    form = ProgrammeTopicForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                operations.add_topic(programme, form.title.data.strip(), current_user)
            except Unchanged as unchanged:
                form.title.errors = [*form.title.errors, unchanged.message]
                status = 400
            else:
                flash(_("The topic is added."))
                return redirect(url_for(".programme_topics", organisation_id=organisation_id,
                                        programme_id=programme.id))
        else:
            status = 400
    topics = list(
        db.session.scalars(
            select(ProgrammeTopic).where(ProgrammeTopic.programme_id == programme.id)
            .order_by(ProgrammeTopic.retired_at.is_not(None), ProgrammeTopic.title)
        )
    )
    stage_types = {stage.stage_type for stage in programme.stages}
    offered = [topic for topic in plugin_topics().values() if topic.stage_type in stage_types]
    return render_template(
        "consultations/programme_topics.html", programme=programme, form=form, topics=topics, offered=offered,
        stage_types=current_app.extensions["hromada.stage_types"], confirm=ConfirmForm(formdata=None),
    ), status


def retire_topic(organisation_id: int, programme_id: int, consultation_topic_id: int):
    programme = programme_or_404(organisation_id, programme_id, selectinload(Programme.stages))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    topic = db.session.scalar(
        select(ProgrammeTopic).where(ProgrammeTopic.id == consultation_topic_id,
                                    ProgrammeTopic.programme_id == programme.id)
    )
    if topic is None:
        abort(404)
    if operations.retire_topic(programme, topic, current_user):
        flash(_("The topic is no longer offered."))
    return redirect(url_for(".programme_topics", organisation_id=organisation_id, programme_id=programme.id))


def programme_kpis(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id, selectinload(Programme.stages))
    in_programme = Consultation.enrolment_id.in_(select(Enrolment.id).where(Enrolment.programme_id == programme.id))
    raw = kpis.kpi_rows(Consultation.organisation_id == organisation_id, in_programme)
    rows = kpis.label(raw, programme_topic_titles(row.topic for row in raw))
    waiting = list(
        db.session.scalars(
            select(Consultation)
            .options(joinedload(Consultation.programme_topic))
            .where(Consultation.organisation_id == organisation_id, in_programme,
                   Consultation.status == ConsultationStatus.REQUESTED)
            .order_by(Consultation.requested_at, Consultation.id)
        )
    )
    communities = {}
    if waiting:
        # Which communities wait is community data: read openly, and audited.
        community_ids = {consultation.tenant_id for consultation in waiting}
        tenancy.allow_reading(community_ids)
        record("consultations.programme_requests", organisation_id=organisation_id, programme_id=programme.id,
               communities=sorted(community_ids))
        db.session.commit()
        communities = {c.id: c for c in db.session.scalars(select(Community).where(Community.id.in_(community_ids)))}
    return render_template(
        "consultations/programme_kpis.html", programme=programme, rows=rows, total=kpis.total(rows),
        waiting=waiting, communities=communities,
        waited={c.id: (now() - as_utc(c.requested_at)).total_seconds() / 3600 for c in waiting if c.requested_at},
        chart=chart(_("Consultations held, by topic"), rows),
        stage_types=current_app.extensions["hromada.stage_types"],
    )
