"""Operators configure programmes: programmes, stages with their settings, calls and their questions.

Each test runs on SQLite and on PostgreSQL (as the application's role, under row-level security).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.audit.models import AuditEvent
from hromada.modules.communities.models import Enrolment
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.programmes.testing import add_question as make_question
from hromada.modules.questionnaires.models import Question, QuestionKind
from hromada.testing.factories import sign_in
from hromada.testing.fixtures import csrf_token



@pytest.fixture
def operator(world, client):
    assert sign_in(client, "operator-a").status_code == 302
    return client


def base(world) -> str:
    return f"/organisations/{world.a.organisation.id}/programmes"


def post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def programme_data(**changes) -> dict:
    data = {"title": "Neighbours 2027", "description": "A year of growing together.", "languages": ["uk", "en"],
            "starts_on": "2027-02-01", "ends_on": "2027-12-20", "stall_days": "21"}
    data.update(changes)
    return data


def create_programme(client, world, **changes) -> Programme:
    response = post(client, f"{base(world)}/new", **programme_data(**changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.remove()
    return db.session.scalar(select(Programme).order_by(Programme.id.desc()).limit(1))


def add_stage(client, world, programme, stage_type, count=None):
    if count is None:
        count = db.session.scalar(select(func.count(Stage.id)).where(Stage.programme_id == programme.id))
    return post(client, f"{base(world)}/{programme.id}/stages", stage_type=stage_type, stage_count=str(count))


def stages_of(programme_id) -> list[Stage]:
    db.session.remove()
    return db.session.scalars(select(Stage).where(Stage.programme_id == programme_id).order_by(Stage.position)).all()


def audit_actions() -> list[str]:
    with tenancy.system_scope():
        return [event.action for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def error_text(response) -> str:
    return " ".join(re.findall(r'<span class="error"[^>]*>([^<]+)</span>', response.get_data(as_text=True)))


# --- Programmes --------------------------------------------------------------------------


def test_an_operator_lists_creates_and_edits_programmes(world, operator):
    page = operator.get(base(world))
    assert page.status_code == 200 and "Programme A" in page.get_data(as_text=True)
    assert "Programme B" not in page.get_data(as_text=True)

    programme = create_programme(operator, world)
    assert programme.organisation_id == world.a.organisation.id
    assert programme.languages == ["en", "uk"]  # in the order of the list, whatever the browser sent
    assert str(programme.starts_on) == "2027-02-01" and programme.stall_days == 21
    assert programme.slug == "neighbours-2027" and programme.call_open is False

    response = post(operator, f"{base(world)}/{programme.id}/edit",
                    **programme_data(title="Neighbours 2028", languages=["be"], stall_days="7"))
    assert response.status_code == 302
    db.session.remove()
    programme = db.session.get(Programme, programme.id)
    assert (programme.title, programme.languages, programme.stall_days) == ("Neighbours 2028", ["be"], 7)
    assert audit_actions().count("programme_created") == 1 and "programme_changed" in audit_actions()


def test_the_programme_page_links_to_the_pages_modules_add_for_it(world, operator):
    programme = world.a.programme
    page = operator.get(f"{base(world)}/{programme.id}").get_data(as_text=True)
    links = dict((label, href) for href, label in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', page))
    for label in ("Cohort overview", "Courses", "Networking events", "Consultations"):
        assert label in links, sorted(links)
        assert links[label].startswith(f"{base(world)}/{programme.id}/")
        assert operator.get(links[label]).status_code == 200, label


def test_the_edit_form_shows_the_programme(world, operator):
    page = operator.get(f"{base(world)}/{world.a.programme.id}/edit").get_data(as_text=True)
    assert 'value="Programme A"' in page


def test_titles_in_any_alphabet_make_distinct_programmes(world, operator):
    first = create_programme(operator, world, title="Сусіди 2027")
    second = create_programme(operator, world, title="Суседзі 2027")
    assert first.slug == "сусіди-2027" and second.slug != first.slug


def test_creating_the_same_programme_twice_creates_one(world, operator):
    create_programme(operator, world)
    again = post(operator, f"{base(world)}/new", **programme_data())
    assert again.status_code == 400
    assert "already" in error_text(again)
    assert db.session.scalar(select(func.count(Programme.id)).where(Programme.title == "Neighbours 2027")) == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": "   "}, "Enter a title."),
        ({"title": "x" * 201}, "At most 200 characters."),
        ({"starts_on": "2027-02-30"}, "Enter a date as YYYY-MM-DD."),
        ({"ends_on": "yesterday"}, "Enter a date as YYYY-MM-DD."),
        ({"ends_on": "2027-01-01"}, "The end cannot be before the start."),
        ({"languages": []}, "Choose at least one language."),
        ({"languages": ["en", "xx"]}, "Choose languages from the list."),
        ({"stall_days": "many"}, "Enter a whole number."),
        ({"stall_days": "0"}, "Between 1 and 365."),
    ],
)
def test_bad_programme_input_is_refused_with_a_message_and_nothing_saved(world, operator, changes, message):
    before = db.session.scalar(select(func.count(Programme.id)))
    response = post(operator, f"{base(world)}/new", **programme_data(**changes))
    assert response.status_code == 400
    assert message in error_text(response)
    assert db.session.scalar(select(func.count(Programme.id))) == before


def test_bad_input_in_uk_is_answered_in_uk(world, operator):
    post(operator, "/language", language="uk", next="/")
    response = post(operator, f"{base(world)}/new", **programme_data(title=""))
    assert response.status_code == 400
    assert 'lang="uk"' in response.get_data(as_text=True)


def test_another_organisations_programme_is_not_found(world, operator):
    b = world.b.programme.id
    for path in (f"{base(world)}/{b}", f"{base(world)}/{b}/edit", f"{base(world)}/{b}/call",
                 f"{base(world)}/{b}/applications"):
        assert operator.get(path).status_code == 404, path
    assert post(operator, f"{base(world)}/{b}/edit", **programme_data()).status_code == 404
    assert post(operator, f"{base(world)}/{b}/stages", stage_type="incubator", stage_count="1").status_code == 404
    db.session.remove()
    assert db.session.get(Programme, b).title == "Programme B"


@pytest.mark.parametrize("handle", ["mentor-a", "expert-a", "facilitator-a", "coordinator-a", "member-a"])
def test_only_operators_manage_programmes(world, client, handle):
    sign_in(client, handle)
    assert client.get(base(world)).status_code in (403, 404)
    assert client.get(f"{base(world)}/{world.a.programme.id}").status_code in (403, 404)


def test_operators_find_their_programmes_in_the_navigation(world, client):
    sign_in(client, "operator-a")
    page = client.get("/").get_data(as_text=True)
    assert f'href="{base(world)}"' in page and ">Programmes<" in page
    other = client.application.test_client()
    sign_in(other, "member-a")
    assert f'href="{base(world)}' not in other.get("/").get_data(as_text=True)


# --- Stages ------------------------------------------------------------------------------


def test_stages_of_every_registered_type_are_added_in_order(world, operator, app):
    programme = create_programme(operator, world)
    for key in ("incubator", "accelerator", "civic_course"):
        assert add_stage(operator, world, programme, key).status_code == 302
    stages = stages_of(programme.id)
    assert [(s.position, s.stage_type) for s in stages] == [(0, "incubator"), (1, "accelerator"), (2, "civic_course")]
    # Each starts with its stage type's default settings.
    assert stages[0].settings == {"networking_events_required": 1, "course_completion_share": 70}
    assert stages[1].settings == {"networking_events_required": 1, "course_completion_share": 70,
                                  "strategic_goals_required": 3, "manifesto_required": True}
    assert stages[2].settings == {"course_completion_share": 70, "change_maps_required": 1,
                                  "strategic_session_required": False}
    page = operator.get(f"{base(world)}/{programme.id}").get_data(as_text=True)
    assert page.index("Incubator") < page.index("Accelerator") < page.index("Civic course")


def test_a_third_party_stage_type_can_be_added(world, operator, app):
    from flask_wtf import FlaskForm
    from wtforms import IntegerField

    from hromada.contributions import StageType

    class VisitSettings(FlaskForm):
        visits = IntegerField("Visits", default=2)

    app.extensions["hromada.stage_types"]["study_visit"] = StageType(
        key="study_visit", title="Study visit", description="Communities visit each other.", settings_form=VisitSettings
    )
    assert add_stage(operator, world, world.a.programme, "study_visit").status_code == 302
    assert stages_of(world.a.programme.id)[-1].settings == {"visits": 2}


def test_an_unknown_stage_type_is_refused(world, operator):
    response = add_stage(operator, world, world.a.programme, "no-such-stage")
    assert response.status_code == 400
    assert "Choose a stage type from the list." in error_text(response)
    assert len(stages_of(world.a.programme.id)) == 1


def test_a_repeated_add_stage_form_adds_one_stage(world, operator):
    programme = world.a.programme
    assert add_stage(operator, world, programme, "accelerator", count=1).status_code == 302
    again = add_stage(operator, world, programme, "accelerator", count=1)  # the same page, sent again
    assert again.status_code == 302
    assert "out of date" in operator.get(again.headers["Location"]).get_data(as_text=True)
    assert [s.stage_type for s in stages_of(programme.id)] == ["incubator", "accelerator"]


def move(client, world, programme, stage, direction, position=None):
    return post(client, f"{base(world)}/{programme.id}/stages/{stage.id}/move", direction=direction,
                position=str(stage.position if position is None else position))


def test_stages_move_up_and_down_and_positions_stay_dense(world, operator):
    programme = create_programme(operator, world)
    for key in ("incubator", "accelerator", "civic_course"):
        add_stage(operator, world, programme, key)
    incubator, accelerator, civic = stages_of(programme.id)
    assert move(operator, world, programme, civic, "up").status_code == 302
    assert [s.stage_type for s in stages_of(programme.id)] == ["incubator", "civic_course", "accelerator"]
    incubator = stages_of(programme.id)[0]
    assert move(operator, world, programme, incubator, "down").status_code == 302
    stages = stages_of(programme.id)
    assert [s.stage_type for s in stages] == ["civic_course", "incubator", "accelerator"]
    assert [s.position for s in stages] == [0, 1, 2]
    assert audit_actions().count("stage_moved") == 2


def test_a_repeated_move_moves_once(world, operator):
    programme = create_programme(operator, world)
    for key in ("incubator", "accelerator", "civic_course"):
        add_stage(operator, world, programme, key)
    civic = stages_of(programme.id)[2]
    assert move(operator, world, programme, civic, "up", position=2).status_code == 302
    move(operator, world, programme, civic, "up", position=2)  # the same button, clicked twice
    assert [s.stage_type for s in stages_of(programme.id)] == ["incubator", "civic_course", "accelerator"]


def test_the_first_stage_cannot_move_up_nor_the_last_down(world, operator):
    (stage,) = stages_of(world.a.programme.id)
    move(operator, world, world.a.programme, stage, "up")
    move(operator, world, world.a.programme, stage, "down")
    assert [s.position for s in stages_of(world.a.programme.id)] == [0]


def test_moving_stages_leaves_enrolments_where_they_are(world, operator):
    programme = world.a.programme
    add_stage(operator, world, programme, "accelerator")
    first, second = stages_of(programme.id)
    move(operator, world, programme, second, "up")
    with tenancy.system_scope():
        stages = {e.current_stage_id for e in db.session.scalars(select(Enrolment).where(Enrolment.programme_id == programme.id))}
    assert stages == {first.id}


@pytest.mark.parametrize("data", [{"direction": "sideways", "position": "0"}, {"direction": "up", "position": "x"},
                                  {"direction": "down", "position": str(10**20)}, {}])
def test_a_garbled_move_is_refused(world, operator, data):
    (stage,) = stages_of(world.a.programme.id)
    response = post(operator, f"{base(world)}/{world.a.programme.id}/stages/{stage.id}/move", **data)
    assert response.status_code == 400


def stage_path(world, stage) -> str:
    return f"{base(world)}/{stage.programme_id}/stages/{stage.id}"


def test_editing_a_stage_shows_and_saves_its_settings(world, operator):
    (stage,) = stages_of(world.a.programme.id)  # built without settings: the form shows the defaults
    page = operator.get(stage_path(world, stage)).get_data(as_text=True)
    assert 'name="settings-networking_events_required"' in page and 'value="70"' in page
    response = post(operator, stage_path(world, stage), title="Spring incubator", starts_on="2027-03-01",
                    ends_on="2027-05-31", capacity="12", **{"settings-networking_events_required": "2",
                                                            "settings-course_completion_share": "80"})
    assert response.status_code == 302
    (stage,) = stages_of(world.a.programme.id)
    assert (stage.title, str(stage.ends_on), stage.capacity) == ("Spring incubator", "2027-05-31", 12)
    assert stage.settings == {"networking_events_required": 2, "course_completion_share": 80}
    page = operator.get(stage_path(world, stage)).get_data(as_text=True)
    assert 'value="80"' in page


def test_a_boolean_setting_can_be_switched_off(world, operator, app):
    from flask_wtf import FlaskForm
    from wtforms import BooleanField

    from hromada.contributions import StageType

    class VisitSettings(FlaskForm):
        report_required = BooleanField("A report after each visit", default=True)

    app.extensions["hromada.stage_types"]["study_visit"] = StageType(
        key="study_visit", title="Study visit", description="Communities visit each other.", settings_form=VisitSettings
    )
    add_stage(operator, world, world.a.programme, "study_visit")
    stage = stages_of(world.a.programme.id)[1]
    assert stage.settings == {"report_required": True}
    post(operator, stage_path(world, stage))  # an unticked box is not sent at all
    assert stages_of(world.a.programme.id)[1].settings == {"report_required": False}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"settings-course_completion_share": "101"}, "Between 0 and 100."),
        ({"settings-networking_events_required": "lots"}, "Enter a whole number."),
        ({"capacity": "0"}, "Between 1 and 10000."),
        ({"starts_on": "2027-05-01", "ends_on": "2027-04-01"}, "The end cannot be before the start."),
        ({"title": "t" * 201}, "At most 200 characters."),
    ],
)
def test_bad_stage_input_is_refused_and_nothing_saved(world, operator, data, message):
    (stage,) = stages_of(world.a.programme.id)
    valid = {"settings-networking_events_required": "1", "settings-course_completion_share": "70"}
    response = post(operator, stage_path(world, stage), **{**valid, **data})
    assert response.status_code == 400
    assert message in error_text(response)
    (after,) = stages_of(world.a.programme.id)
    assert (after.settings, after.title, after.capacity) == ({}, "", None)


def test_a_stage_of_another_programme_is_not_found(world, operator):
    b_stage = stages_of(world.b.programme.id)[0]
    wrong = f"{base(world)}/{world.a.programme.id}/stages/{b_stage.id}"
    assert operator.get(wrong).status_code == 404
    assert post(operator, wrong, title="taken over").status_code == 404
    assert post(operator, f"{wrong}/close").status_code == 404
    assert post(operator, f"{wrong}/move", direction="up", position="0").status_code == 404
    assert stages_of(world.b.programme.id)[0].closed_at is None


def test_closing_a_stage_keeps_everything_and_happens_once(world, operator):
    (stage,) = stages_of(world.a.programme.id)
    confirm = operator.get(f"{stage_path(world, stage)}/close")
    assert confirm.status_code == 200 and "nothing is deleted" in confirm.get_data(as_text=True)
    assert stages_of(world.a.programme.id)[0].closed_at is None  # a GET changes nothing
    assert post(operator, f"{stage_path(world, stage)}/close").status_code == 302
    assert post(operator, f"{stage_path(world, stage)}/close").status_code == 302
    (stage,) = stages_of(world.a.programme.id)
    assert stage.closed_at is not None
    assert audit_actions().count("stage_closed") == 1
    with tenancy.system_scope():
        assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.current_stage_id == stage.id)) == 2


# --- The call and its questions ------------------------------------------------------------


def call_path(world, programme=None) -> str:
    return f"{base(world)}/{(programme or world.a.programme).id}/call"


def add_question(client, world, programme=None, **data):
    values = {"label": "What unites your community?", "kind": "long_text", "help_text": "", "choices": ""}
    values.update(data)
    return post(client, f"{base(world)}/{(programme or world.a.programme).id}/questions", **values)


def questions_of(programme_id) -> list[Question]:
    db.session.remove()
    return db.session.scalars(
        select(Question).join(Programme, Programme.questionnaire_id == Question.questionnaire_id)
        .where(Programme.id == programme_id).order_by(Question.position)
    ).all()


def test_an_operator_opens_and_closes_a_call(world, operator, client):
    response = post(operator, call_path(world), call_open="y", call_text="Communities of the river valley, apply!",
                    call_closes_on="2099-01-31")
    assert response.status_code == 302
    db.session.remove()
    programme = db.session.get(Programme, world.a.programme.id)
    assert programme.call_open and programme.call_text.startswith("Communities") and programme.call_is_open()
    anonymous = client.application.test_client()
    assert "river valley" in anonymous.get(f"/calls/{programme.id}").get_data(as_text=True)

    post(operator, call_path(world), call_text="Closed for now.")  # the box unticked
    db.session.remove()
    assert db.session.get(Programme, world.a.programme.id).call_open is False
    closed = anonymous.get(f"/calls/{programme.id}")
    assert closed.status_code == 404 and "This call is closed" in closed.get_data(as_text=True)
    assert audit_actions().count("call_changed") == 2


def test_a_call_needs_an_open_stage(world, operator):
    (stage,) = stages_of(world.a.programme.id)
    post(operator, f"{stage_path(world, stage)}/close")
    response = post(operator, call_path(world), call_open="y", call_text="")
    assert response.status_code == 400
    assert "Add a stage that is not closed" in error_text(response)
    db.session.remove()
    assert db.session.get(Programme, world.a.programme.id).call_open is False


@pytest.mark.parametrize(
    "data, message",
    [
        ({"call_closes_on": "2000-01-01"}, "This day has passed"),
        ({"call_closes_on": "31.01.2027"}, "Enter a date as YYYY-MM-DD."),
        ({"call_text": "x" * 10001}, "At most 10000 characters."),
    ],
)
def test_bad_call_input_is_refused(world, operator, data, message):
    response = post(operator, call_path(world), call_open="y", **data)
    assert response.status_code == 400
    assert message in error_text(response)
    db.session.remove()
    assert db.session.get(Programme, world.a.programme.id).call_open is False


def test_a_call_past_its_last_day_is_closed(world, operator, client):
    with tenancy.system_scope():
        programme = db.session.get(Programme, world.a.programme.id)
        programme.call_open = True
        programme.call_closes_on = programme.created_at.date().replace(year=2000)
        db.session.commit()
    assert client.get(f"/calls/{world.a.programme.id}").status_code == 404


def test_questions_are_added_edited_moved_and_removed(world, operator):
    programme = world.a.programme
    assert add_question(operator, world, label="What unites you?", kind="long_text", required="y",
                        question_count="0").status_code == 302
    assert add_question(operator, world, label="Where do you meet?", kind="choice",
                        choices="Online\n  Offline \n\nBoth", question_count="1").status_code == 302
    assert add_question(operator, world, label="Are you registered?", kind="yes_no", question_count="2").status_code == 302
    first, second, third = questions_of(programme.id)
    assert (first.kind, first.required) == (QuestionKind.LONG_TEXT, True)
    assert second.choices == ["Online", "Offline", "Both"] and third.choices == []

    edit = f"{base(world)}/{programme.id}/questions/{second.id}"
    assert 'value="Where do you meet?"' in operator.get(edit).get_data(as_text=True)
    assert post(operator, edit, label="Where do you usually meet?", kind="choice", choices="Online\nOffline",
                required="y").status_code == 302
    assert post(operator, f"{edit}/move", direction="up", position="1").status_code == 302
    assert [q.label for q in questions_of(programme.id)] == ["Where do you usually meet?", "What unites you?",
                                                            "Are you registered?"]
    assert post(operator, f"{edit}/remove").status_code == 302
    remaining = questions_of(programme.id)
    assert [(q.label, q.position) for q in remaining] == [("What unites you?", 0), ("Are you registered?", 1)]
    actions = audit_actions()
    assert actions.count("application_form_changed") == 6


def test_a_repeated_add_question_form_adds_one(world, operator):
    add_question(operator, world, question_count="0")
    add_question(operator, world, question_count="0")
    assert len(questions_of(world.a.programme.id)) == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"label": ""}, "Enter the question."),
        ({"label": "q" * 301}, "At most 300 characters."),
        ({"kind": "essay"}, "Choose a kind of answer from the list."),
        ({"kind": "choice", "choices": "Only one"}, "Give 2 to 20 answers, one per line."),
        ({"kind": "choice", "choices": "Same\nSame"}, "Each answer may appear only once."),
        ({"kind": "choice", "choices": "a\n" + "b" * 201}, "Each answer may have at most 200 characters."),
        ({"question_count": "two"}, "The form was incomplete"),
    ],
)
def test_bad_questions_are_refused(world, operator, data, message):
    response = add_question(operator, world, **data)
    assert response.status_code == 400
    assert message in error_text(response)
    assert questions_of(world.a.programme.id) == []


def test_a_question_of_another_programme_is_not_found(world, operator):
    with tenancy.system_scope():
        question = make_question(world.b.programme.id, "B's question", kind=QuestionKind.TEXT)
        db.session.commit()
        question_id = question.id
    wrong = f"{base(world)}/{world.a.programme.id}/questions/{question_id}"
    assert operator.get(wrong).status_code == 404
    assert post(operator, f"{wrong}/remove").status_code == 404
    assert post(operator, wrong, label="mine now", kind="text").status_code == 404
    assert questions_of(world.b.programme.id)[0].label == "B's question"


def test_stage_settings_forms_of_the_first_party_plugins(app):
    stage_types = app.extensions["hromada.stage_types"]
    with app.test_request_context():
        from hromada.modules.programmes.stage_settings import default_settings

        assert default_settings(stage_types["incubator"]) == {"networking_events_required": 1,
                                                               "course_completion_share": 70}
        # Each setting comes from the module that reads it, for the stage types whose activities need it:
        # the civic course offers courses but no networking between communities (deck 002).
        assert default_settings(stage_types["accelerator"]) == {"networking_events_required": 1,
                                                                 "course_completion_share": 70,
                                                                 "strategic_goals_required": 3,
                                                                 "manifesto_required": True}
        assert default_settings(stage_types["civic_course"]) == {"course_completion_share": 70,
                                                                  "change_maps_required": 1,
                                                                  "strategic_session_required": False}
    from hromada.contributions import ACTIVITY_KINDS

    for stage_type in stage_types.values():
        assert stage_type.activities, stage_type.key
        assert {activity.kind for activity in stage_type.activities} <= set(ACTIVITY_KINDS)
    assert "networking" in {a.kind for a in stage_types["incubator"].activities}
    assert "deliverable" in {a.kind for a in stage_types["accelerator"].activities}
    assert "internship" in {a.kind for a in stage_types["civic_course"].activities}
