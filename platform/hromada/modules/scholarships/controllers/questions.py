"""Editing one of a call's two questionnaires, the application's or the reports': the same four actions.

`QuestionList` says which questionnaire, where its page is and how that page shows a refused question
form; the routes of `calls` and `reports` hand their arguments to one of the two lists below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hromada.extensions import db
from hromada.modules.programmes.forms import PositionForm
from hromada.modules.programmes.util import programme_or_404
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.forms import question_form_class, question_form_data
from hromada.modules.questionnaires.models import Question, Questionnaire
from hromada.modules.questionnaires.operations import fields_from_form
from hromada.modules.scholarships import forms, operations
from hromada.modules.scholarships.models import ScholarshipCall


def languages_of(call: ScholarshipCall) -> list[str]:
    return list(call.programme.languages or [])


@dataclass(frozen=True)
class QuestionList:
    questionnaire_id: Callable[[ScholarshipCall], int | None]
    # The questionnaire a new question goes to (made on the first question, for the reports').
    questionnaire_for_new: Callable[[ScholarshipCall], Questionnaire]
    questionnaire: Callable[[ScholarshipCall], Questionnaire | None]
    url: Callable[[ScholarshipCall], str]
    # The list's page again, with a refused question form: (organisation_id, programme_id, call_id, form, status).
    redisplay: Callable
    # The programme's call, or 404 (`calls.call_or_404`).
    call_or_404: Callable

    def _call(self, organisation_id: int, programme_id: int, call_id: int):
        programme = programme_or_404(organisation_id, programme_id)
        return programme, self.call_or_404(programme, call_id)

    def _question_or_404(self, call: ScholarshipCall, question_id: int) -> Question:
        questionnaire_id = self.questionnaire_id(call)
        question = db.session.scalar(select(Question).where(
            Question.id == question_id, Question.questionnaire_id == questionnaire_id)) if questionnaire_id else None
        if question is None:
            abort(404)
        return question

    def add(self, organisation_id: int, programme_id: int, call_id: int):
        _programme, call = self._call(organisation_id, programme_id, call_id)
        languages = languages_of(call)
        form = question_form_class(languages)()
        if not form.validate():
            return self.redisplay(organisation_id, programme_id, call_id, question_form=form, status=400)
        try:
            operations.add_question(call, fields_from_form(form, languages), current_user,
                                    expected_count=form.question_count.data,
                                    questionnaire=self.questionnaire_for_new(call))
        except questionnaires.Stale as stale:
            flash(stale.message, "error")
        except questionnaires.Refused as refused:
            form.label.errors.append(refused.message)
            return self.redisplay(organisation_id, programme_id, call_id, question_form=form, status=400)
        else:
            flash(_("The question is added."), "info")
        return redirect(self.url(call))

    def edit(self, organisation_id: int, programme_id: int, call_id: int, question_id: int):
        programme, call = self._call(organisation_id, programme_id, call_id)
        question = self._question_or_404(call, question_id)
        languages = languages_of(call)
        posted = request.method == "POST"
        form = question_form_class(languages)(data=None if posted else question_form_data(question, languages))
        if posted and form.validate():
            operations.change_question(call, question, fields_from_form(form, languages), current_user,
                                       questionnaire=self.questionnaire(call))
            flash(_("The question is saved."), "info")
            return redirect(self.url(call))
        return render_template("scholarships/question_form.html", programme=programme,
                               organisation=programme.organisation, call=call, question=question, form=form,
                               languages=languages, back=self.url(call)), (400 if posted else 200)

    def move(self, organisation_id: int, programme_id: int, call_id: int, question_id: int):
        _programme, call = self._call(organisation_id, programme_id, call_id)
        question = self._question_or_404(call, question_id)
        form = PositionForm()
        if not form.validate():
            abort(400)
        try:
            operations.move_question(call, question, current_user, direction=form.direction.data,
                                     position=form.position.data, questionnaire=self.questionnaire(call))
        except questionnaires.Refused as refused:
            flash(refused.message, "error")
        return redirect(self.url(call))

    def remove(self, organisation_id: int, programme_id: int, call_id: int, question_id: int):
        _programme, call = self._call(organisation_id, programme_id, call_id)
        question = self._question_or_404(call, question_id)
        if not forms.ConfirmForm().validate():
            abort(400)
        if operations.remove_question(call, question, current_user, questionnaire=self.questionnaire(call)):
            flash(_("The question is removed. Answers already given to it are kept."), "info")
        return redirect(self.url(call))
