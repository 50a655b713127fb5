"""Pages of programmes: operators configure them and their calls and decide on applications;
anyone reads an open call and signs a new community up; a community's coordinator applies.

Operators' URLs start with /organisations/<organisation_id>/: `@requires` checks the
organisation and sets its context, and every object below it is looked up within
that organisation, so an id of another organisation's object is a 404.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from hromada import authz, tenancy
from hromada.caching import fragments
from hromada.extensions import db
from hromada.i18n import LANGUAGE_NAMES
from hromada.modules.programmes.util import programme_or_404
from hromada.plugins import collect
from hromada.modules.accounts.models import CommunityRole, User
from hromada.modules.accounts.sessions import start_session
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.programmes import forms, services
from hromada.modules.programmes.labels import STATUS_LABELS
from hromada.modules.programmes.models import (
    Application,
    ApplicationQuestion,
    ApplicationStatus,
    Organisation,
    Programme,
    QuestionKind,
    Stage,
)

def _stale() -> str:
    return _("The page was out of date: nothing was changed. Please look again and retry.")


def _handle_taken() -> str:
    return _("This handle or e-mail is already in use. Choose another, or sign in first.")


# --- Loading objects within the organisation of the URL -------------------------------


def _stage(programme: Programme, stage_id: int) -> Stage:
    stage = db.session.scalar(select(Stage).where(Stage.id == stage_id, Stage.programme_id == programme.id))
    if stage is None:
        abort(404)
    return stage


def _question(programme: Programme, question_id: int) -> ApplicationQuestion:
    question = db.session.scalar(
        select(ApplicationQuestion).where(
            ApplicationQuestion.id == question_id, ApplicationQuestion.programme_id == programme.id
        )
    )
    if question is None:
        abort(404)
    return question


def _application(programme: Programme, application_id: int) -> Application:
    application = db.session.scalar(
        select(Application).where(
            Application.id == application_id,
            Application.programme_id == programme.id,
            Application.organisation_id == programme.organisation_id,
        )
    )
    if application is None:
        abort(404)
    return application


def _programme_url(programme: Programme, endpoint: str = "programmes.show", **values) -> str:
    return url_for(endpoint, organisation_id=programme.organisation_id, programme_id=programme.id, **values)


# --- Programmes ---------------------------------------------------------------------


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


def new(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    form = forms.ProgrammeForm(data={"languages": [str(get_locale())]} if request.method == "GET" else None)
    if not form.is_submitted():
        return render_template("programmes/programme_form.html", organisation=organisation, form=form, programme=None)
    if form.validate():
        slug = services.slug_for(form.title.data)
        if not services.slug_taken(organisation.id, slug):
            programme = Programme(organisation_id=organisation.id, slug=slug, description="", call_text="")
            _fill_programme(programme, form)
            db.session.add(programme)
            try:
                with db.session.begin_nested():
                    db.session.flush()
            except IntegrityError:
                programme = None
            if programme is not None:
                record("programme_created", organisation_id=organisation.id, programme_id=programme.id)
                db.session.commit()
                flash(_("The programme is created. Add its stages."), "info")
                return redirect(_programme_url(programme))
        form.title.errors.append(_("This organisation has a programme with this title already."))
    return render_template("programmes/programme_form.html", organisation=organisation, form=form, programme=None), 400


def _fill_programme(programme: Programme, form: forms.ProgrammeForm) -> None:
    programme.title = form.title.data.strip()
    programme.description = (form.description.data or "").strip()
    # In the order of the list of languages, whatever order the browser sent.
    programme.languages = [code for code in LANGUAGE_NAMES if code in set(form.languages.data)]
    programme.starts_on = form.starts_on.data
    programme.ends_on = form.ends_on.data
    programme.stall_days = form.stall_days.data


def show(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    return _render_programme(programme)


def _render_programme(programme: Programme, stage_form=None, status: int = 200):
    stage_types = services.stage_types()
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
        stage_form = forms.NewStageForm(stage_types=stage_types, formdata=None, data={"stage_count": len(stages)})
    return render_template(
        "programmes/programme.html", programme=programme, organisation=programme.organisation, stages=stages,
        stage_types=stage_types, stage_form=stage_form, counts=counts, waiting=waiting,
        confirm=forms.ConfirmForm(formdata=None), links=_programme_links(programme),
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
        _fill_programme(programme, form)
        record("programme_changed", organisation_id=organisation_id, programme_id=programme.id)
        db.session.commit()
        flash(_("The programme is saved."), "info")
        return redirect(_programme_url(programme))
    status = 400 if form.is_submitted() else 200
    return render_template("programmes/programme_form.html", organisation=programme.organisation, form=form,
                           programme=programme), status


# --- Stages -------------------------------------------------------------------------


def add_stage(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    stage_types = services.stage_types()
    form = forms.NewStageForm(stage_types=stage_types)
    if not form.validate():
        return _render_programme(programme, stage_form=form, status=400)
    stage = services.add_stage(programme, stage_types[form.stage_type.data], form.stage_count.data)
    if stage is None:
        db.session.rollback()
        flash(_stale(), "error")
        return redirect(_programme_url(programme))
    record("stage_added", organisation_id=organisation_id, programme_id=programme.id, stage_id=stage.id,
           stage_type=stage.stage_type)
    db.session.commit()
    flash(_("The stage is added. You can now set its dates and settings."), "info")
    return redirect(_programme_url(programme, "programmes.edit_stage", stage_id=stage.id))


def edit_stage(organisation_id: int, programme_id: int, stage_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    stage = _stage(programme, stage_id)
    stage_type = services.stage_types().get(stage.stage_type)
    posted = request.method == "POST"
    form = forms.StageForm(obj=None if posted else stage)
    settings = services.settings_form(stage_type, stage, formdata=request.form if posted else None)
    if posted:
        valid = form.validate_on_submit()
        # Validate the settings too, so that every mistake is shown at once.
        valid = (settings.validate() if settings is not None else True) and valid
        if valid:
            stage.title = (form.title.data or "").strip()
            stage.starts_on = form.starts_on.data
            stage.ends_on = form.ends_on.data
            stage.capacity = form.capacity.data
            if settings is not None:
                stage.settings = services.settings_data(settings)
            record("stage_changed", organisation_id=organisation_id, programme_id=programme.id, stage_id=stage.id)
            db.session.commit()
            flash(_("The stage is saved."), "info")
            return redirect(_programme_url(programme))
    return render_template(
        "programmes/stage_form.html", programme=programme, organisation=programme.organisation, stage=stage,
        stage_type=stage_type, form=form, settings=settings,
    ), (400 if posted else 200)


def move_stage(organisation_id: int, programme_id: int, stage_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    stage = _stage(programme, stage_id)
    return _move(programme, stage, "stage_moved", programme_url=_programme_url(programme))


def _move(programme: Programme, item, action: str, programme_url: str):
    form = forms.PositionForm()
    if not form.validate():
        abort(400)
    if not services.move(item, form.direction.data, form.position.data):
        db.session.rollback()
        flash(_stale(), "error")
        return redirect(programme_url)
    details = {"stage_id": item.id} if action == "stage_moved" else {"question_id": item.id, "change": "moved"}
    record(action, organisation_id=programme.organisation_id, programme_id=programme.id,
           direction=form.direction.data, **details)
    db.session.commit()
    return redirect(programme_url)


def close_stage(organisation_id: int, programme_id: int, stage_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    stage = _stage(programme, stage_id)
    form = forms.ConfirmForm()
    if request.method == "GET":
        return render_template("programmes/close_stage.html", programme=programme, stage=stage, form=form,
                               stage_types=services.stage_types(), organisation=programme.organisation)
    if not form.validate():
        abort(400)
    if services.close_stage(stage):
        record("stage_closed", organisation_id=organisation_id, programme_id=programme.id, stage_id=stage.id)
        db.session.commit()
        flash(_("The stage is closed. It admits no new community; nothing was deleted."), "info")
    else:
        flash(_("This stage was closed already."), "info")
    return redirect(_programme_url(programme))


# --- The call and its questions -------------------------------------------------------


def call_settings(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    posted = request.method == "POST"
    form = forms.CallForm(obj=None if posted else programme)
    if posted:
        if form.validate_on_submit():
            if form.call_open.data and services.first_open_stage(programme.id) is None:
                form.call_open.errors.append(_("Add a stage that is not closed before opening the call."))
            else:
                programme.call_open = form.call_open.data
                programme.call_text = (form.call_text.data or "").strip()
                programme.call_closes_on = form.call_closes_on.data
                record("call_changed", organisation_id=organisation_id, programme_id=programme.id,
                       open=programme.call_open)
                db.session.commit()
                flash(_("The call is saved."), "info")
                return redirect(_programme_url(programme, "programmes.call_settings"))
        return _render_call_settings(programme, form=form, status=400)
    return _render_call_settings(programme, form=form)


def _render_call_settings(programme: Programme, *, form=None, question_form=None, status: int = 200):
    questions = programme.questions
    if question_form is None:
        question_form = forms.QuestionForm(formdata=None, data={"question_count": len(questions)})
    return render_template(
        "programmes/call_settings.html", programme=programme, organisation=programme.organisation,
        form=form or forms.CallForm(formdata=None, obj=programme), question_form=question_form,
        questions=questions, kind_labels=forms.QUESTION_KIND_LABELS, confirm=forms.ConfirmForm(formdata=None),
        questions_max=forms.QUESTIONS_MAX,
    ), status


def _question_values(form: forms.QuestionForm) -> dict:
    return {
        "label": form.label.data.strip(),
        "help_text": (form.help_text.data or "").strip(),
        "kind": QuestionKind(form.kind.data),
        "required": bool(form.required.data),
        "choices": form.choice_list(),
    }


def add_question(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    form = forms.QuestionForm()
    if not form.validate():
        return _render_call_settings(programme, question_form=form, status=400)
    if services.count_questions(programme.id) >= forms.QUESTIONS_MAX:
        form.label.errors.append(_("A call has at most %(count)d questions.", count=forms.QUESTIONS_MAX))
        return _render_call_settings(programme, question_form=form, status=400)
    question = services.add_question(programme, form.question_count.data, **_question_values(form))
    if question is None:
        db.session.rollback()
        flash(_stale(), "error")
    else:
        record("application_form_changed", organisation_id=organisation_id, programme_id=programme.id,
               question_id=question.id, change="added")
        db.session.commit()
        flash(_("The question is added."), "info")
    return redirect(_programme_url(programme, "programmes.call_settings"))


def edit_question(organisation_id: int, programme_id: int, question_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    question = _question(programme, question_id)
    posted = request.method == "POST"
    data = None if posted else {
        "label": question.label, "help_text": question.help_text, "kind": question.kind.value,
        "required": question.required, "choices": "\n".join(question.choices or []),
    }
    form = forms.QuestionForm(data=data)
    if posted and form.validate():
        for name, value in _question_values(form).items():
            setattr(question, name, value)
        record("application_form_changed", organisation_id=organisation_id, programme_id=programme.id,
               question_id=question.id, change="changed")
        db.session.commit()
        flash(_("The question is saved."), "info")
        return redirect(_programme_url(programme, "programmes.call_settings"))
    return render_template("programmes/question_form.html", programme=programme, question=question, form=form,
                           organisation=programme.organisation), (400 if posted else 200)


def move_question(organisation_id: int, programme_id: int, question_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    question = _question(programme, question_id)
    return _move(programme, question, "application_form_changed",
                 programme_url=_programme_url(programme, "programmes.call_settings"))


def remove_question(organisation_id: int, programme_id: int, question_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    question = _question(programme, question_id)
    if not forms.ConfirmForm().validate():
        abort(400)
    if services.remove_question(question):
        record("application_form_changed", organisation_id=organisation_id, programme_id=programme.id,
               question_id=question_id, change="removed")
        db.session.commit()
        flash(_("The question is removed. Answers already given to it are kept."), "info")
    return redirect(_programme_url(programme, "programmes.call_settings"))


# --- Review of applications ---------------------------------------------------------


def applications(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    return _render_applications(programme)


def _render_applications(programme: Programme, *, failed: dict | None = None, status: int = 200):
    """The programme's applications with the names of their communities, readable through the application."""
    query = (
        select(Application)
        .where(Application.programme_id == programme.id, Application.organisation_id == programme.organisation_id)
        .order_by(Application.submitted_at, Application.id)
    )
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
    order = {ApplicationStatus.SUBMITTED: 0, ApplicationStatus.ADMITTED: 1, ApplicationStatus.DECLINED: 2}
    rows = sorted(rows, key=lambda application: order[application.status])
    deciders = {}
    decider_ids = {application.decided_by_id for application in rows if application.decided_by_id}
    if decider_ids:
        deciders = {user.id: user.name for user in db.session.scalars(select(User).where(User.id.in_(decider_ids)))}
    failed = failed or {}
    return render_template(
        "programmes/applications.html", programme=programme, organisation=programme.organisation,
        applications=rows, names=names, deciders=deciders, questions=programme.questions,
        status_labels=STATUS_LABELS, yes_no=forms.YES_NO_LABELS,
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
    application = _application(programme, application_id)
    form = _decision_form(forms.DecisionForm, "admit", application)
    if not form.validate():
        return _render_applications(programme, failed={("admit", application.id): form}, status=400)
    outcome, stage = services.admit(programme, application, decided_by=current_user,
                                    message=(form.message.data or "").strip())
    if outcome is services.Admission.ADMITTED:
        db.session.commit()
        flash(_("The community is admitted and enrolled in the first open stage."), "info")
    elif outcome is services.Admission.DECIDED_ALREADY:
        db.session.rollback()
        flash(_("This application was decided already: nothing was changed."), "info")
    else:
        db.session.rollback()
        if outcome is services.Admission.NO_OPEN_STAGE:
            form.message.errors.append(_("The programme has no open stage to admit a community to."))
        else:
            form.message.errors.append(_("The first open stage is full: raise its capacity or close it first."))
        return _render_applications(programme, failed={("admit", application.id): form}, status=409)
    return redirect(_programme_url(programme, "programmes.applications"))


def decline(organisation_id: int, programme_id: int, application_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    application = _application(programme, application_id)
    form = _decision_form(forms.DeclineForm, "decline", application)
    if not form.validate():
        return _render_applications(programme, failed={("decline", application.id): form}, status=400)
    if services.decline(programme, application, decided_by=current_user, message=form.message.data.strip()):
        db.session.commit()
        flash(_("The application is declined; the community sees your message."), "info")
    else:
        db.session.rollback()
        flash(_("This application was decided already: nothing was changed."), "info")
    return redirect(_programme_url(programme, "programmes.applications"))


# --- Public calls ---------------------------------------------------------------------


def open_calls():
    return render_template("programmes/open_calls.html", programmes=services.open_calls(),
                           stage_types=services.stage_types())


def _open_programme(programme_id: int) -> Programme | None:
    # One query for the programme, its organisation, stages and questions (a few rows joined):
    # the public call page is the busiest page of a call.
    programme = db.session.scalars(
        select(Programme)
        .options(joinedload(Programme.organisation), joinedload(Programme.stages), joinedload(Programme.questions))
        .where(Programme.id == programme_id)
    ).unique().first()
    return programme if programme is not None and programme.call_is_open() else None


def call(programme_id: int):
    programme = _open_programme(programme_id)
    if programme is None:
        return render_template("programmes/call_closed.html"), 404
    questions = programme.questions
    form_class = forms.answers_form(questions, base=forms.CallSignUpForm)
    coordinated = _coordinated_communities()
    if request.method == "GET":
        return _render_call(programme, form_class(formdata=None), coordinated, blank=True)
    if current_user.is_authenticated:
        # A signed-in person applies from the community's own page, never by making a second account.
        flash(_("You are signed in: apply from your community's page, or sign out to sign up a new community."),
              "error")
        return _render_call(programme, form_class(formdata=None), coordinated, status=400)
    form = form_class()
    if not form.validate():
        return _render_call(programme, form, coordinated, status=400)
    handle = form.handle.data.strip().lower()
    email = (form.email.data or "").strip().lower() or None
    taken = db.session.scalar(
        select(func.count(User.id)).where(or_(User.handle == handle, User.email == email if email else False))
    )
    if taken:
        form.handle.errors.append(_handle_taken())
        return _render_call(programme, form, coordinated, status=400)
    try:
        community, user, _application = services.sign_up_and_apply(
            programme, community_name=form.community_name.data, handle=handle, password=form.password.data,
            email=email, language=session.get("language") or str(get_locale()),
            answers=forms.collected_answers(form, questions),
        )
        start_session(user)
        db.session.commit()
    except IntegrityError:
        # Someone took the handle meanwhile: nothing of this sign-up is kept.
        db.session.rollback()
        tenancy.set_tenant(None)
        form.handle.errors.append(_handle_taken())
        return _render_call(programme, form, coordinated, status=400)
    flash(_("Welcome! Your community is created and its application is sent."), "info")
    return redirect(url_for("programmes.community_applications", community_id=community.id))


def _render_call(programme: Programme, form, coordinated: dict, status: int = 200, *, blank: bool = False):
    """The call page; `blank`: the form is shown empty (nothing typed, no error), as most visitors see it.

    Its intro, and its fields when blank, are fragments rendered once per call, language and
    content of the programme, its organisation, stages and questions (`hromada.caching.fragments`).
    """
    shown = fragments.rows_key(programme, programme.organisation, *programme.stages, *programme.questions)
    intro = fragments.render("programmes/_call_intro.html", shown, programme=programme,
                             organisation=programme.organisation, stage_types=services.stage_types())
    fields = fragments.render("programmes/_call_fields.html", shown, form=form, questions=programme.questions,
                              field_name=forms.field_name) if blank else None
    return render_template(
        "programmes/call.html", programme=programme, organisation=programme.organisation, form=form,
        questions=programme.questions, stage_types=services.stage_types(), coordinated=coordinated,
        field_name=forms.field_name, intro=intro, fields=fields,
    ), status


def _coordinated_communities() -> dict[int, str]:
    """{id: name} of the communities the signed-in person coordinates (their own names only)."""
    if not current_user.is_authenticated:
        return {}
    ids = sorted(c for c, role in authz.principal().memberships.items() if role == CommunityRole.COORDINATOR)
    if not ids:
        return {}
    with tenancy.scope(reader_tenants=frozenset(ids)):
        return dict(db.session.execute(select(Community.id, Community.name).where(Community.id.in_(ids))).all())


# --- A community's applications --------------------------------------------------------


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
    calls = [programme for programme in services.open_calls() if programme.id not in applied | enrolled]
    return render_template(
        "programmes/community_applications.html", community=community, applications=mine, calls=calls,
        status_labels=STATUS_LABELS,
    )


def community_apply(community_id: int, programme_id: int):
    community = db.get_or_404(Community, community_id)
    back = url_for("programmes.community_applications", community_id=community.id)
    programme = _open_programme(programme_id)
    if programme is None:
        return render_template("programmes/call_closed.html"), 404
    existing = db.session.scalar(
        select(Application.id).where(Application.tenant_id == community.id, Application.programme_id == programme.id)
    )
    if existing is not None:
        flash(_("Your community has applied to this programme already. Here is its application."), "info")
        return redirect(back)
    if db.session.scalar(
        select(Enrolment.id).where(Enrolment.tenant_id == community.id, Enrolment.programme_id == programme.id)
    ):
        flash(_("Your community takes part in this programme already."), "info")
        return redirect(back)
    questions = programme.questions
    form = forms.answers_form(questions)()
    if form.validate_on_submit():
        application = services.submit_application(programme, forms.collected_answers(form, questions))
        if application is None:  # the same form, sent twice at once
            db.session.rollback()
            flash(_("Your community has applied to this programme already. Here is its application."), "info")
            return redirect(back)
        record("application_submitted", organisation_id=programme.organisation_id, community_id=community.id,
               programme_id=programme.id)
        db.session.commit()
        flash(_("The application is sent. The organisers will answer here."), "info")
        return redirect(back)
    return render_template(
        "programmes/community_apply.html", community=community, programme=programme,
        organisation=programme.organisation, form=form, questions=questions, field_name=forms.field_name,
        stage_types=services.stage_types(),
    ), (400 if form.is_submitted() else 200)
