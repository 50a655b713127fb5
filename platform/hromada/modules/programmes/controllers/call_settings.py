"""Operators set up a programme's call: whether it is open, its text and closing day, and the
questions of its application form (added, changed, moved, removed)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from hromada.modules.programmes import forms, operations
from hromada.modules.programmes.controllers.common import moved, programme_url, question_or_404
from hromada.modules.programmes.models import Programme
from hromada.modules.programmes.operations import OutOfDate, Unchanged
from hromada.modules.programmes.util import programme_or_404
from hromada.modules.questionnaires.forms import (
    QUESTION_KIND_LABELS,
    QUESTIONS_MAX,
    question_form_class,
    question_form_data,
)
from hromada.modules.questionnaires.operations import fields_from_form


def call_settings(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    posted = request.method == "POST"
    form = forms.CallForm(obj=None if posted else programme)
    if posted:
        if form.validate_on_submit():
            try:
                operations.change_call(programme, current_user, call_open=form.call_open.data,
                                       text=(form.call_text.data or "").strip(), closes_on=form.call_closes_on.data)
            except Unchanged as unchanged:
                form.call_open.errors.append(unchanged.message)
            else:
                flash(_("The call is saved."), "info")
                return redirect(programme_url(programme, "programmes.call_settings"))
        return _render_call_settings(programme, form=form, status=400)
    return _render_call_settings(programme, form=form)


def _languages(programme: Programme) -> list[str]:
    return list(programme.languages or [])


def _render_call_settings(programme: Programme, *, form=None, question_form=None, status: int = 200):
    questions = programme.questions
    if question_form is None:
        question_form = question_form_class(_languages(programme))(
            formdata=None, data={"question_count": len(questions)})
    return render_template(
        "programmes/call_settings.html", programme=programme, organisation=programme.organisation,
        form=form or forms.CallForm(formdata=None, obj=programme), question_form=question_form,
        questions=questions, kind_labels=QUESTION_KIND_LABELS, confirm=forms.ConfirmForm(formdata=None),
        questions_max=QUESTIONS_MAX, languages=_languages(programme),
    ), status


def add_question(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    form = question_form_class(_languages(programme))()
    if not form.validate():
        return _render_call_settings(programme, question_form=form, status=400)
    try:
        operations.add_question(programme, fields_from_form(form, _languages(programme)), current_user,
                                expected_count=form.question_count.data)
    except OutOfDate as out_of_date:
        flash(out_of_date.message, "error")
    except Unchanged as unchanged:  # the form is full
        form.label.errors.append(unchanged.message)
        return _render_call_settings(programme, question_form=form, status=400)
    else:
        flash(_("The question is added."), "info")
    return redirect(programme_url(programme, "programmes.call_settings"))


def edit_question(organisation_id: int, programme_id: int, question_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    question = question_or_404(programme, question_id)
    posted = request.method == "POST"
    languages = _languages(programme)
    form = question_form_class(languages)(data=None if posted else question_form_data(question, languages))
    if posted and form.validate():
        operations.change_question(programme, question, fields_from_form(form, languages), current_user)
        flash(_("The question is saved."), "info")
        return redirect(programme_url(programme, "programmes.call_settings"))
    return render_template("programmes/question_form.html", programme=programme, question=question, form=form,
                           organisation=programme.organisation, languages=languages), (400 if posted else 200)


def move_question(organisation_id: int, programme_id: int, question_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    question = question_or_404(programme, question_id)
    return moved(operations.move_question, programme, question,
                 back=programme_url(programme, "programmes.call_settings"))


def remove_question(organisation_id: int, programme_id: int, question_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    question = question_or_404(programme, question_id)
    if not forms.ConfirmForm().validate():
        abort(400)
    if operations.remove_question(programme, question, current_user):
        flash(_("The question is removed. Answers already given to it are kept."), "info")
    return redirect(programme_url(programme, "programmes.call_settings"))
