"""The questionnaire engine, as people meet it through a programme's call: questions of every kind checked
on the server, answers kept with the version of the questions they answered, texts in the reader's language."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.programmes.models import Application, Programme
from hromada.modules.programmes.testing import add_question
from hromada.modules.questionnaires.models import QuestionKind, QuestionnaireVersion
from hromada.testing.factories import sign_in
from hromada.testing.fixtures import csrf_token


def errors(response) -> str:
    return " ".join(re.findall(r'<span class="error"[^>]*>([^<]+)</span>', response.get_data(as_text=True)))


def apply_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/calls/{world.b.programme.id}"


def review_path(world) -> str:
    return f"/organisations/{world.b.organisation.id}/programmes/{world.b.programme.id}/applications"


@pytest.fixture
def grant_form(world) -> dict[str, int]:
    """B's call is open and asks for a number, an amount, a date and a budget."""
    with tenancy.system_scope():
        programme = db.session.get(Programme, world.b.programme.id)
        programme.call_open = True
        made = {
            "members": add_question(programme.id, "How many members?", kind=QuestionKind.NUMBER, min_value=3,
                                    max_value=500, required=True),
            "amount": add_question(programme.id, "How much do you ask for?", kind=QuestionKind.MONEY,
                                   currency="UAH", max_value=5_000_000, required=True),
            "start": add_question(programme.id, "When do you start?", kind=QuestionKind.DATE),
            "budget": add_question(programme.id, "Your budget", kind=QuestionKind.BUDGET, currency="UAH",
                                   required=True),
        }
        db.session.commit()
        return {key: question.id for key, question in made.items()}


def good_answers(ids: dict, **changes) -> dict:
    data = {
        f"question_{ids['members']}": "12",
        f"question_{ids['amount']}": "1500.50", f"question_{ids['amount']}_currency": "UAH",
        f"question_{ids['start']}": "2027-03-01",
        f"question_{ids['budget']}-0-item": "Paint", f"question_{ids['budget']}-0-amount": "1000",
        f"question_{ids['budget']}-1-item": "Brushes", f"question_{ids['budget']}-1-amount": "500.50",
    }
    data.update(changes)
    return data


def applications() -> list[Application]:
    db.session.remove()
    with tenancy.system_scope():
        return db.session.scalars(select(Application)).all()


@pytest.mark.parametrize(("change", "message"), [
    ({"members": "2"}, "Between 3 and 500."),
    ({"members": "many"}, "Enter a whole number."),
    ({"amount": "10.505"}, "at most 2 digits after the decimal mark"),
    ({"amount": "-5"}, "The amount cannot be negative."),
    ({"amount": "60000"}, "At most"),
    ({"start": "next spring"}, "Enter a date as YYYY-MM-DD."),
    ({"budget-1-item": ""}, "Line 2: name the item."),
    ({"budget-0-amount": "1,2,3"}, "Line 1: Enter an amount such as"),
])
def test_every_kind_of_answer_is_checked_on_the_server_and_nothing_is_half_saved(world, grant_form, client, change,
                                                                                  message):
    ((key, value),) = change.items()
    question_key, _, rest = key.partition("-")
    name = f"question_{grant_form[question_key]}" + (f"-{rest}" if rest else "")
    sign_in(client, "coordinator-a")
    response = client.post(apply_path(world), data={"csrf_token": csrf_token(client, apply_path(world)),
                                                     **good_answers(grant_form, **{name: value})})
    assert response.status_code == 400
    assert message in errors(response)
    assert applications() == []


def test_answers_are_stored_as_values_and_read_with_the_questions_they_answered(world, grant_form, client, app):
    sign_in(client, "coordinator-a")
    response = client.post(apply_path(world), data={"csrf_token": csrf_token(client, apply_path(world)),
                                                    **good_answers(grant_form)})
    assert response.status_code == 302
    (application,) = applications()
    assert application.answers == {
        str(grant_form["members"]): 12,
        str(grant_form["amount"]): {"amount_minor": 150050, "currency": "UAH"},
        str(grant_form["start"]): "2027-03-01",
        str(grant_form["budget"]): {"currency": "UAH", "total_minor": 150050, "rows": [
            {"item": "Paint", "amount_minor": 100000}, {"item": "Brushes", "amount_minor": 50050}]},
    }
    # The operator renames a question afterwards: the application still shows the question it answered.
    with tenancy.system_scope():
        programme = db.session.get(Programme, world.b.programme.id)
        answered = application.questions_version
        assert answered == programme.questionnaire.version
        add_question(programme.id, "A question added later")
        frozen = db.session.scalar(select(QuestionnaireVersion.questions).where(
            QuestionnaireVersion.questionnaire_id == programme.questionnaire_id,
            QuestionnaireVersion.version == answered))
        assert [question["label"] for question in frozen] == [
            "How many members?", "How much do you ask for?", "When do you start?", "Your budget"]
        db.session.commit()
    operator = app.test_client()
    sign_in(operator, "operator-b")
    page = operator.get(review_path(world)).get_data(as_text=True)
    assert "A question added later" not in page
    assert "UAH1,500.50" in page and "UAH1,000.00" in page and "Brushes" in page and "Mar 1, 2027" in page


def test_a_question_is_shown_in_the_readers_language_or_marked_as_untranslated(world, client):
    with tenancy.system_scope():
        programme = db.session.get(Programme, world.b.programme.id)
        programme.call_open = True
        programme.languages = ["uk", "en"]
        question = add_question(programme.id, "Що вас об'єднує?", kind=QuestionKind.TEXT, language="uk",
                                translations={"en": {"label": "What unites you?", "help_text": ""}})
        db.session.commit()
        name = f"question_{question.id}"
    page = client.get(f"/calls/{world.b.programme.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "What unites you?" in page and "not translated" not in page
    client.post("/language", data={"csrf_token": csrf_token(client), "language": "ru", "next": "/"})
    page = client.get(f"/calls/{world.b.programme.id}").get_data(as_text=True)
    label = re.search(rf'<label for="{name}">([^<]+)</label>', page).group(1)
    assert "Що вас об&#39;єднує?" in label and "Українська" in label


def test_an_operator_writes_a_question_in_each_language_of_the_programme(world, client):
    with tenancy.system_scope():
        db.session.get(Programme, world.b.programme.id).languages = ["uk", "en"]
        db.session.commit()
    sign_in(client, "operator-b")
    settings = f"/organisations/{world.b.organisation.id}/programmes/{world.b.programme.id}/call"
    page = client.get(settings).get_data(as_text=True)
    assert 'name="label_en"' in page and 'name="label_uk"' not in page
    response = client.post(f"/organisations/{world.b.organisation.id}/programmes/{world.b.programme.id}/questions",
                           data={"csrf_token": csrf_token(client, settings), "label": "Скільки вас?",
                                 "label_en": "How many are you?", "kind": "number", "min_value": "10",
                                 "max_value": "5", "question_count": "0"})
    assert response.status_code == 400 and "The largest number cannot be below the smallest." in errors(response)
    response = client.post(f"/organisations/{world.b.organisation.id}/programmes/{world.b.programme.id}/questions",
                           data={"csrf_token": csrf_token(client, settings), "label": "Скільки вас?",
                                 "label_en": "How many are you?", "kind": "number", "min_value": "1",
                                 "max_value": "5", "question_count": "0"})
    assert response.status_code == 302
    with tenancy.system_scope():
        (question,) = db.session.get(Programme, world.b.programme.id).questions
        assert (question.language, question.translations, question.min_value, question.max_value) == (
            "uk", {"en": {"label": "How many are you?", "help_text": ""}}, 1, 5)


def test_the_calls_questions_and_answers_given_before_move_onto_the_engine_and_back(tmp_path, monkeypatch):
    """The data migration (qst0001) on an existing database: each programme's questions become its
    questionnaire's version 1 with the same ids, so the answers given before still find their questions."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from hromada import create_app

    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}", "SECRET_KEY": "x",
                      "HROMADA_PLUGINS": None})
    with app.app_context():
        upgrade(revision="core0009")
        with db.engine.begin() as connection:
            for statement in (
                "INSERT INTO organisations (id, slug, name) VALUES (1, 'n', 'Neighbours')",
                "INSERT INTO programmes (id, organisation_id, slug, title, description, languages) "
                "VALUES (1, 1, 'p', 'P', '', '[\"uk\", \"en\"]')",
                "INSERT INTO communities (id, name) VALUES (1, 'Green Quarter')",
                "INSERT INTO application_questions (id, programme_id, position, label, help_text, kind, required, "
                "choices) VALUES (7, 1, 0, 'Хто ви?', '', 'text', 1, '[]'), "
                "(9, 1, 1, 'Де ви?', '', 'choice', 0, '[\"Онлайн\", \"Офлайн\"]')",
                "INSERT INTO applications (id, programme_id, status, answers, decision_message, organisation_id, "
                "tenant_id) VALUES (1, 1, 'submitted', '{\"7\": \"Сусіди\", \"9\": \"Онлайн\"}', '', 1, 1)",
            ):
                connection.execute(text(statement))
        upgrade(revision="qst0001")
        with db.engine.connect() as connection:
            questionnaire_id = connection.scalar(text("SELECT questionnaire_id FROM programmes WHERE id = 1"))
            assert connection.execute(text(
                "SELECT id, position, kind, language, label FROM questionnaire_questions "
                "WHERE questionnaire_id = :q ORDER BY position"), {"q": questionnaire_id}).all() == [
                (7, 0, "text", "uk", "Хто ви?"), (9, 1, "choice", "uk", "Де ви?")]
            assert connection.scalar(text("SELECT questions_version FROM applications WHERE id = 1")) == 1
            frozen = connection.scalar(text("SELECT questions FROM questionnaire_versions WHERE questionnaire_id = :q "
                                            "AND version = 1"), {"q": questionnaire_id})
            assert '"Онлайн"' in frozen or "\\u041e" in frozen
        downgrade(revision="qst0001@-1")
        with db.engine.connect() as connection:
            assert connection.execute(text(
                "SELECT id, programme_id, position, kind FROM application_questions ORDER BY position")).all() == [
                (7, 1, 0, "text"), (9, 1, 1, "choice")]
        db.engine.dispose()
