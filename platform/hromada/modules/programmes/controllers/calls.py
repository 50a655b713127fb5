"""The public pages: anyone reads a published programme's page, the open calls and a call's page; a
newcomer (not signed in) signs a new community up from a call, which applies at once. Signed-in
coordinators apply from their community's page (`community`). A draft programme is its
organisation's staff's alone: to anyone else its pages answer 404."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from hromada import authz, tenancy
from hromada.caching import fragments
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityRole
from hromada.modules.accounts.sessions import start_session
from hromada.modules.communities.models import Community
from hromada.modules.programmes import admission, forms
from hromada.modules.programmes.controllers.common import open_call_programme
from hromada.modules.programmes.models import Programme
from hromada.modules.programmes.operations import Unchanged
from hromada.modules.programmes.util import open_calls as calls_open_today
from hromada.modules.programmes.util import published_programme_or_404, stage_types


def public_programme(programme_id: int):
    """What a programme offers, its stages and whether its call is open; a draft only to its organisation's staff."""
    programme = published_programme_or_404(programme_id, joinedload(Programme.organisation),
                                           selectinload(Programme.stages))
    return render_template(
        "programmes/public_programme.html", programme=programme, organisation=programme.organisation,
        stage_types=stage_types(), manages=authz.can("organisation.manage_programmes", programme.organisation_id),
    )


def open_calls():
    return render_template("programmes/open_calls.html", programmes=calls_open_today(), stage_types=stage_types())


def call(programme_id: int):
    programme = open_call_programme(programme_id)
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
    try:
        community, _user, _application = admission.sign_up_and_apply(
            programme, community_name=form.community_name.data, handle=form.handle.data.strip().lower(),
            password=form.password.data, email=(form.email.data or "").strip().lower() or None,
            language=session.get("language") or str(get_locale()),
            answers=forms.collected_answers(form, questions), sign_in=start_session,
        )
    except admission.NotPublic:  # returned to draft since the page was shown
        return render_template("programmes/call_closed.html"), 404
    except Unchanged as unchanged:  # the handle or e-mail is someone else's
        form.handle.errors.append(unchanged.message)
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
                             organisation=programme.organisation, stage_types=stage_types())
    fields = fragments.render("programmes/_call_fields.html", shown, form=form, questions=programme.questions,
                              field_name=forms.field_name) if blank else None
    return render_template(
        "programmes/call.html", programme=programme, organisation=programme.organisation, form=form,
        questions=programme.questions, stage_types=stage_types(), coordinated=coordinated,
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
