"""What the questionnaire engine contributes: its tables, its templates, and the artefact kinds it collects."""

from __future__ import annotations

from pathlib import Path

from hromada.hookspecs import hookimpl
from hromada.modules.questionnaires.models import Question, Questionnaire, QuestionnaireVersion


@hookimpl
def hromada_models():
    return [Questionnaire, Question, QuestionnaireVersion]


@hookimpl
def hromada_template_folders():
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def hromada_app_ready(app):
    from hromada.modules.questionnaires.artefacts import collect
    from hromada.modules.questionnaires.forms import reading
    from hromada.modules.questionnaires.texts import shown
    from hromada.money import Money

    app.extensions["hromada.artefact_kinds"] = collect(app)
    app.jinja_env.globals.update(question_shown=shown, answer_reading=reading, money_of=Money)
