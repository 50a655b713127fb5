"""Objects of the programmes module for the isolation matrix (tests/test_isolation_matrix.py).

Side B's call is open, with a question; B's first community has applied to it
with answers that carry its secret marker. The call page of B is public by
design: the matrix checks that it shows nothing of B's communities.
"""

from __future__ import annotations

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.programmes.models import Application, ApplicationStatus, Programme, Stage
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.models import Question, QuestionKind
from hromada.modules.questionnaires.operations import QuestionFields


def add_question(programme_id: int, label: str, position: int | None = None, **values) -> Question:
    """A question appended to the programme's call (its questionnaire made with the first one), frozen in a new
    version as an operator's change is; `position`, if given, is where it must land."""
    programme = db.session.get(Programme, programme_id)
    if programme.questionnaire is None:
        programme.questionnaire = questionnaires.create(programme.organisation_id)
    fields = QuestionFields(label=label, help_text=values.pop("help_text", ""),
                            kind=values.pop("kind", QuestionKind.LONG_TEXT), required=values.pop("required", False),
                            choices=values.pop("choices", []), **values)
    question = questionnaires.add_question(programme.questionnaire, fields, expected_count=position)
    db.session.flush()
    return question


def add_application(side, community, answers: dict, **values) -> Application:
    """An application of `community` to `side`'s programme (written as the community would)."""
    with tenancy.scope(tenant_id=community.id):
        programme = db.session.get(Programme, side.programme.id)
        application = Application(organisation_id=side.organisation.id, programme_id=side.programme.id,
                                  questions_version=questionnaires.answered_version(programme.questionnaire),
                                  status=values.pop("status", ApplicationStatus.SUBMITTED), answers=answers,
                                  decision_message=values.pop("decision_message", ""), **values)
        db.session.add(application)
        db.session.flush()
    return application


def matrix_arguments(world) -> dict:
    with tenancy.system_scope():
        a, b = world.a, world.b
        b_programme = db.session.get(type(b.programme), b.programme.id)
        b_programme.call_open = True
        b_programme.call_text = "Apply to programme B"
        b_stage = db.session.query(Stage).filter_by(programme_id=b.programme.id).one()
        b_question = add_question(b.programme.id, "What does your community do?")
        b_application = add_application(b, b.communities[0], {str(b_question.id): "secret-b1 answers"},
                                        decision_message="")
        a_question = add_question(a.programme.id, "What does your community do?")
        a_application = add_application(a, a.communities[1], {str(a_question.id): "secret-a2 answers"})
        db.session.commit()
        return {
            "foreign": {
                "programme_id": b.programme.id,
                "stage_id": b_stage.id,
                "question_id": b_question.id,
                "application_id": b_application.id,
            },
            "unreachable": {"application_id": a_application.id},
        }
