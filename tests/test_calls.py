"""Calls, applications and admission, as communities and operators meet them, on SQLite and PostgreSQL.

A new community signs up from a public call page; an existing one applies from
its workspace; the organisation's operators read the applications and admit
or decline, once.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, User
from hromada.modules.audit.models import AuditEvent
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.programmes.models import (
    Application,
    ApplicationStatus,
    Programme,
    Stage,
)
from hromada.modules.questionnaires.models import Question, QuestionKind
from hromada.modules.programmes.testing import add_application, add_question
from hromada.testing.factories import PASSWORD, sign_in
from hromada.testing.fixtures import csrf_token



@pytest.fixture
def questions(world) -> dict[str, Question]:
    """Side A's call is open, with a question of every kind."""
    with tenancy.system_scope():
        programme = db.session.get(Programme, world.a.programme.id)
        programme.call_open = True
        programme.call_text = "Communities of the river valley: apply before spring."
        made = {
            "about": add_question(programme.id, "What unites your community?", 0, kind=QuestionKind.LONG_TEXT,
                                  required=True),
            "size": add_question(programme.id, "How many are you?", 1, kind=QuestionKind.TEXT),
            "meet": add_question(programme.id, "Where do you meet?", 2, kind=QuestionKind.CHOICE,
                                 choices=["Online", "Offline", "Both"], required=True),
            "registered": add_question(programme.id, "Are you registered?", 3, kind=QuestionKind.YES_NO),
        }
        db.session.commit()
        ids = {key: question.id for key, question in made.items()}
    db.session.remove()
    return {key: db.session.get(Question, question_id) for key, question_id in ids.items()}


def call_path(world) -> str:
    return f"/calls/{world.a.programme.id}"


def answers(questions, **changes) -> dict:
    data = {
        f"question_{questions['about'].id}": "We restore the old park together.",
        f"question_{questions['size'].id}": "About thirty",
        f"question_{questions['meet'].id}": "Both",
        f"question_{questions['registered'].id}": "no",
    }
    for key, value in changes.items():
        data[f"question_{questions[key].id}"] = value
    return {name: value for name, value in data.items() if value is not None}


def sign_up_data(questions, **changes) -> dict:
    data = {"community_name": "Park Friends", "handle": "park-keeper", "email": "", "password": PASSWORD,
            "confirm": PASSWORD}
    data.update({key: value for key, value in changes.items() if key in data})
    data.update(answers(questions, **{key: value for key, value in changes.items() if key in questions}))
    return data


def sign_up(client, world, questions, **changes):
    token = csrf_token(client, call_path(world))
    return client.post(call_path(world), data={"csrf_token": token, **sign_up_data(questions, **changes)})


def counts() -> tuple[int, int, int]:
    with tenancy.system_scope():
        return (
            db.session.scalar(select(func.count(User.id))),
            db.session.scalar(select(func.count(Community.id))),
            db.session.scalar(select(func.count(Application.id))),
        )


def all_applications() -> list[Application]:
    db.session.remove()
    with tenancy.system_scope():
        return db.session.scalars(select(Application).order_by(Application.id)).all()


def errors(response) -> str:
    return " ".join(re.findall(r'<span class="error"[^>]*>([^<]+)</span>', response.get_data(as_text=True)))


def audit_actions() -> list[str]:
    with tenancy.system_scope():
        return [event.action for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


# --- The public call page ---------------------------------------------------------------


def test_the_call_page_shows_the_programme_its_stages_and_the_form_without_javascript(world, questions, client):
    page = client.get(call_path(world))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Programme A" in body and "river valley" in body and "Organisation A" in body
    assert "Incubator: creating and preserving communities" in body  # stage titles come from the stage types
    assert "Psychological-support consultations" in body  # and what each stage offers
    for question in questions.values():
        assert f'name="question_{question.id}"' in body
    assert "What unites your community? (required)" in body
    assert '<form method="post"' in body and 'name="csrf_token"' in body and 'type="submit"' in body
    assert "<script" not in body
    assert "secret-a" not in body  # no community of the programme is named


def test_a_question_is_shown_as_text_whatever_it_holds(world, questions, client):
    # Its label is put into a translated one, "%(question)s (required)", which escapes it like any text.
    with tenancy.system_scope():
        db.session.get(Question, questions["about"].id).label = '<em>Who</em> & "why"?'
        db.session.commit()
    body = client.get(call_path(world)).get_data(as_text=True)
    assert "&lt;em&gt;Who&lt;/em&gt; &amp; &#34;why&#34;? (required)" in body
    assert "<em>" not in body


def test_the_call_page_shows_every_change_at_once_and_each_visitor_their_language(world, questions, client, app):
    # Parts of the page are rendered once and reused (hromada.caching.fragments): never once stale, never in another language.
    before = client.get(call_path(world)).get_data(as_text=True)
    assert "How many are you?" in before and "river valley" in before
    with tenancy.system_scope():
        db.session.execute(update(Question).where(Question.id == questions["size"].id)
                           .values(label="How many members does it have?"))
        db.session.execute(update(Programme).where(Programme.id == world.a.programme.id)
                           .values(call_text="Apply before summer."))
        db.session.commit()
    after = client.get(call_path(world)).get_data(as_text=True)
    assert "How many members does it have?" in after and "How many are you?" not in after
    assert "Apply before summer." in after and "river valley" not in after

    visitor = app.test_client()
    visitor.post("/language", data={"csrf_token": csrf_token(visitor), "language": "uk", "next": "/"})
    translated = visitor.get(call_path(world)).get_data(as_text=True)
    assert 'lang="uk"' in translated and "Your community" not in translated
    assert "Your community" in client.get(call_path(world)).get_data(as_text=True)
    # Each visitor gets a form token of their own; the reused parts carry none.
    tokens = [re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
              for page in (after, translated)]
    assert tokens[0] != tokens[1]


def test_a_closed_call_is_a_friendly_404(world, client):
    for path in (call_path(world), "/calls/999999"):
        response = client.get(path)
        assert response.status_code == 404
        assert "This call is closed" in response.get_data(as_text=True)
    token = csrf_token(client, "/")
    assert client.post(call_path(world), data={"csrf_token": token}).status_code == 404


def test_open_calls_are_listed_for_everyone(world, questions, client):
    page = client.get("/calls").get_data(as_text=True)
    assert f'href="/calls/{world.a.programme.id}"' in page
    assert f'href="/calls/{world.b.programme.id}"' not in page
    assert 'href="/calls"' in client.get("/").get_data(as_text=True)  # in the navigation


# --- A new community signs up --------------------------------------------------------------


def test_a_new_community_signs_up_applies_and_is_signed_in(world, questions, client):
    response = sign_up(client, world, questions, email="Park@Example.org")
    assert response.status_code == 302, errors(response)
    (application,) = all_applications()
    assert application.status is ApplicationStatus.SUBMITTED
    assert application.organisation_id == world.a.organisation.id and application.programme_id == world.a.programme.id
    assert application.answers == {
        str(questions["about"].id): "We restore the old park together.",
        str(questions["size"].id): "About thirty",
        str(questions["meet"].id): "Both",
        str(questions["registered"].id): "no",
    }
    with tenancy.system_scope():
        community = db.session.get(Community, application.tenant_id)
        user = db.session.scalar(select(User).where(User.handle == "park-keeper"))
        membership = db.session.scalar(select(CommunityMembership).where(CommunityMembership.user_id == user.id))
        assert community.name == "Park Friends" and user.email == "park@example.org"
        assert membership.tenant_id == community.id and membership.role.value == "coordinator"
    assert response.headers["Location"] == f"/communities/{community.id}/applications"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Signed in as park-keeper" in page and "Programme A" in page and "Waiting for a decision" in page
    assert {"community_created", "application_submitted"} <= set(audit_actions())


def test_optional_questions_may_stay_unanswered(world, questions, client):
    response = sign_up(client, world, questions, size=None, registered=None)
    assert response.status_code == 302
    (application,) = all_applications()
    assert set(application.answers) == {str(questions["about"].id), str(questions["meet"].id)}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"about": None}, "Answer this question."),
        ({"about": "   "}, "Answer this question."),
        ({"meet": "By carrier pigeon"}, "Choose one of the answers offered."),
        ({"registered": "maybe"}, "Answer yes or no."),
        ({"size": "x" * 301}, "At most 300 characters."),
        ({"about": "x" * 5001}, "At most 5000 characters."),
        ({"community_name": ""}, "Enter the name of the community."),
        ({"community_name": "n" * 201}, "At most 200 characters."),
        ({"handle": "a b"}, "Use 3 to 40 latin letters"),
        ({"email": "not-an-address"}, "This does not look like an e-mail address."),
        ({"password": "short", "confirm": "short"}, "A password needs 12 to 256 characters."),
        ({"confirm": "something else entirely"}, "The two passwords differ."),
    ],
)
def test_bad_sign_up_input_is_refused_with_a_message_and_nothing_saved(world, questions, client, changes, message):
    before = counts()
    response = sign_up(client, world, questions, **changes)
    assert response.status_code == 400
    assert message in errors(response)
    assert counts() == before
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_a_taken_handle_leaves_no_community_behind(world, questions, client):
    before = counts()
    response = sign_up(client, world, questions, handle="Member-A")
    assert response.status_code == 400
    assert "already in use" in errors(response)
    assert counts() == before


def test_a_sign_up_that_fails_half_way_keeps_nothing(world, questions, client, monkeypatch):
    """The handle is taken between the check and the insert: the database refuses, everything is undone."""
    from hromada.modules.programmes import admission

    real = admission.new_community_with_application

    def late_clash(programme, **values):
        result = real(programme, **values)
        db.session.add(User(handle="member-a", password_hash="x"))  # the same handle as someone else's
        db.session.flush()
        return result

    monkeypatch.setattr(admission, "new_community_with_application", late_clash)
    before = counts()
    response = sign_up(client, world, questions)
    assert response.status_code == 400
    assert "already in use" in errors(response)
    assert counts() == before
    with tenancy.system_scope():
        assert db.session.scalar(select(User.id).where(User.handle == "park-keeper")) is None
        assert db.session.scalar(select(Community.id).where(Community.name == "Park Friends")) is None
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_a_sign_up_sent_twice_makes_one_community(world, questions, client, app):
    token = csrf_token(client, call_path(world))
    anonymous_session = client.get_cookie("hromada_session").value
    data = {"csrf_token": token, **sign_up_data(questions)}
    assert client.post(call_path(world), data=data).status_code == 302
    # The same form sent again at once (a double click): it still carries the session it was shown in.
    twin = app.test_client()
    twin.set_cookie("hromada_session", anonymous_session)
    second = twin.post(call_path(world), data=data)
    assert second.status_code == 400 and "already in use" in errors(second)
    # And sent again by the person now signed in.
    assert client.post(call_path(world), data={**data, "csrf_token": csrf_token(client)}).status_code == 400
    assert counts()[1:] == (5, 1)


def test_signed_in_people_apply_from_their_community_not_by_signing_up(world, questions, client):
    sign_in(client, "coordinator-a")
    page = client.get(call_path(world)).get_data(as_text=True)
    assert f"/communities/{world.a.communities[0].id}/calls/{world.a.programme.id}" in page
    assert 'name="handle"' not in page
    before = counts()
    response = client.post(call_path(world), data={"csrf_token": csrf_token(client), **sign_up_data(questions)})
    assert response.status_code == 400
    assert counts() == before


def test_sign_ups_are_rate_limited(world, questions, app):
    client = app.test_client()
    statuses = []
    for number in range(21):
        token = csrf_token(client, call_path(world))
        statuses.append(client.post(call_path(world), data={"csrf_token": token, "handle": f"x{number}"}).status_code)
    assert statuses[:20] == [400] * 20 and statuses[20] == 429


def test_the_sign_up_form_speaks_the_visitors_language(world, questions, client):
    client.post("/language", data={"csrf_token": csrf_token(client), "language": "uk", "next": "/"})
    response = sign_up(client, world, questions, about=None)
    assert response.status_code == 400
    assert 'lang="uk"' in response.get_data(as_text=True)
    sign_up(client, world, questions)
    with tenancy.system_scope():
        assert db.session.scalar(select(User.language).where(User.handle == "park-keeper")) == "uk"


# --- An existing community applies from its workspace ----------------------------------------


def workspace(world) -> str:
    return f"/communities/{world.a.communities[0].id}/applications"


def open_call_of_b(world, **values):
    with tenancy.system_scope():
        programme = db.session.get(Programme, world.b.programme.id)
        programme.call_open = True
        for name, value in values.items():
            setattr(programme, name, value)
        question = add_question(programme.id, "Why this programme?", 0, kind=QuestionKind.TEXT, required=True)
        db.session.commit()
        return question.id


def test_a_coordinator_applies_for_the_community_once(world, client):
    question_id = open_call_of_b(world)
    sign_in(client, "coordinator-a")
    page = client.get(workspace(world)).get_data(as_text=True)
    apply_path = f"/communities/{world.a.communities[0].id}/calls/{world.b.programme.id}"
    assert apply_path in page
    form = client.get(apply_path)
    assert form.status_code == 200 and f'name="question_{question_id}"' in form.get_data(as_text=True)
    data = {"csrf_token": csrf_token(client, apply_path), f"question_{question_id}": "To grow."}
    assert client.post(apply_path, data=data).status_code == 302
    again = client.post(apply_path, data=data, follow_redirects=True)
    assert "has applied to this programme already" in again.get_data(as_text=True)
    (application,) = all_applications()
    assert application.tenant_id == world.a.communities[0].id and application.organisation_id == world.b.organisation.id
    page = client.get(workspace(world)).get_data(as_text=True)
    assert "Programme B" in page and "Waiting for a decision" in page


def test_a_community_already_in_the_programme_is_not_asked_to_apply(world, questions, client):
    sign_in(client, "coordinator-a")
    page = client.get(workspace(world)).get_data(as_text=True)
    assert f"/calls/{world.a.programme.id}" not in page
    apply_path = f"/communities/{world.a.communities[0].id}/calls/{world.a.programme.id}"
    client.post(apply_path, data={"csrf_token": csrf_token(client, workspace(world)), **answers(questions)})
    assert all_applications() == []


def test_a_community_applies_with_answers_checked_like_on_the_call_page(world, client):
    question_id = open_call_of_b(world)
    sign_in(client, "coordinator-a")
    apply_path = f"/communities/{world.a.communities[0].id}/calls/{world.b.programme.id}"
    response = client.post(apply_path, data={"csrf_token": csrf_token(client, apply_path), f"question_{question_id}": ""})
    assert response.status_code == 400 and "Answer this question." in errors(response)
    assert all_applications() == []


@pytest.mark.parametrize("handle", ["member-a", "mentor-a", "operator-a", "coordinator-b"])
def test_only_the_coordinator_applies_for_a_community(world, client, handle):
    open_call_of_b(world)
    sign_in(client, handle)
    assert client.get(workspace(world)).status_code in (403, 404)
    apply_path = f"/communities/{world.a.communities[0].id}/calls/{world.b.programme.id}"
    assert client.post(apply_path, data={"csrf_token": csrf_token(client)}).status_code in (403, 404)
    assert all_applications() == []


def test_coordinators_find_the_applications_in_the_navigation(world, client):
    sign_in(client, "coordinator-a")
    assert f'href="{workspace(world)}"' in client.get("/").get_data(as_text=True)


# --- Operators review, admit and decline ------------------------------------------------------


@pytest.fixture
def applied(world, questions, app):
    """Two new communities have applied to side A's programme through its call."""
    for number, handle in enumerate(("first-keeper", "second-keeper")):
        client = app.test_client()
        response = sign_up(client, world, questions, handle=handle, community_name=f"Applicant {number} secret-x{number}")
        assert response.status_code == 302, errors(response)
    # Plain values: the test's session may not read the rows again in every context.
    return [SimpleNamespace(id=a.id, tenant_id=a.tenant_id) for a in all_applications()]


def review_path(world) -> str:
    return f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/applications"


@pytest.fixture
def operator(world, client):
    sign_in(client, "operator-a")
    return client


def decide(client, world, application, kind, message=""):
    path = f"{review_path(world)}/{application.id}/{kind}"
    return client.post(path, data={"csrf_token": csrf_token(client), f"{kind}-{application.id}-message": message})


def test_operators_read_applications_with_names_and_answers_and_the_read_is_audited(world, applied, operator):
    page = operator.get(review_path(world))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Applicant 0 secret-x0" in body and "Applicant 1 secret-x1" in body
    assert "We restore the old park together." in body and "Where do you meet?" in body
    assert "secret-a1" not in body  # enrolled communities are not applicants
    reads = [a for a in audit_actions() if a == "staff.read_applications"]
    assert len(reads) == 1


def test_a_long_list_of_applications_is_read_25_at_a_time_waiting_ones_first(world, operator):
    """At 8,000 applications the page showed all of them, each with two forms (3 s); now 25 a page, the ones
    waiting for a decision first, filtered by status, and a decision brings the operator back to the same page."""
    with tenancy.system_scope():
        for number in range(30):
            community = Community.create(f"Applicant {number:02d}")
            declined = number >= 27
            add_application(world.a, community, {}, status=ApplicationStatus.DECLINED if declined
                            else ApplicationStatus.SUBMITTED)
        db.session.commit()
    first = operator.get(review_path(world)).get_data(as_text=True)
    shown = re.findall(r'<h2 id="application-\d+">Applicant (\d+)</h2>', first)
    assert len(shown) == 25 and first.count("<strong>Waiting for a decision</strong>") == 25
    assert "Page 1 of 2" in first and "All (30)" in first and "Declined (3)" in first
    second = operator.get(review_path(world) + "?page=2").get_data(as_text=True)
    assert second.count("<strong>Waiting for a decision</strong>") == 2 and second.count("<strong>Declined</strong>") == 3
    assert sorted(shown + re.findall(r'<h2 id="application-\d+">Applicant (\d+)</h2>', second)) == [
        f"{number:02d}" for number in range(30)]
    declined = operator.get(review_path(world) + "?status=declined").get_data(as_text=True)
    assert sorted(re.findall(r'<h2 id="application-\d+">Applicant (\d+)</h2>', declined)) == ["27", "28", "29"]
    # Each reading names the communities of its page only.
    with tenancy.system_scope():
        reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.read_applications")
                                   .order_by(AuditEvent.id)).all()
    assert [len(event.details["communities"]) for event in reads] == [25, 5, 3]
    # Declining from page 2 (its form says which page) comes back to page 2.
    waiting = re.findall(r'action="([^"]+/decline\?page=2)"', second)
    assert len(waiting) == 2
    response = operator.post(waiting[0].replace("&amp;", "&"), data={
        "csrf_token": csrf_token(operator), f"decline-{waiting[0].split('/')[-2]}-message": "Not this year."})
    assert response.status_code == 302 and response.headers["Location"].endswith("/applications?page=2")


def test_operators_of_another_organisation_see_nothing(world, applied, app):
    client = app.test_client()
    sign_in(client, "operator-b")
    assert client.get(review_path(world)).status_code == 404
    assert decide(client, world, applied[0], "admit").status_code == 404
    b_path = f"/organisations/{world.b.organisation.id}/programmes/{world.b.programme.id}/applications"
    assert "secret-x" not in client.get(b_path).get_data(as_text=True)
    assert all(a.status is ApplicationStatus.SUBMITTED for a in all_applications())


def test_an_application_of_another_programme_is_not_found(world, applied, operator):
    with tenancy.system_scope():
        b_application = add_application(world.b, world.b.communities[1], {"1": "secret-b2"})
        db.session.commit()
        b_id = b_application.id
    path = f"{review_path(world)}/{b_id}/admit"
    assert operator.post(path, data={"csrf_token": csrf_token(operator)}).status_code == 404
    with tenancy.system_scope():
        assert db.session.get(Application, b_id).status is ApplicationStatus.SUBMITTED


def test_admitting_enrols_in_the_first_open_stage_once(world, applied, operator, app):
    with tenancy.system_scope():
        db.session.add(Stage(programme_id=world.a.programme.id, position=1, stage_type="accelerator"))
        db.session.execute(update(Stage).where(Stage.programme_id == world.a.programme.id, Stage.position == 0)
                           .values(closed_at=func.now()))
        db.session.commit()
        second_stage = db.session.scalar(select(Stage.id).where(Stage.programme_id == world.a.programme.id,
                                                                Stage.position == 1))
    first = applied[0]
    assert decide(operator, world, first, "admit", "Welcome aboard!").status_code == 302
    assert decide(operator, world, first, "admit").status_code == 302  # double submit
    assert decide(operator, world, first, "decline", "Too late").status_code == 302  # stale form
    db.session.remove()
    with tenancy.system_scope():
        application = db.session.get(Application, first.id)
        enrolments = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == first.tenant_id)).all()
    assert application.status is ApplicationStatus.ADMITTED and application.decision_message == "Welcome aboard!"
    assert application.decided_by_id == world.a.people["operator"].id and application.decided_at is not None
    assert [(e.programme_id, e.organisation_id, e.current_stage_id) for e in enrolments] == [
        (world.a.programme.id, world.a.organisation.id, second_stage)
    ]
    assert audit_actions().count("application_admitted") == 1 and "application_declined" not in audit_actions()

    # The coordinator sees the enrolment on the community's page, and the message.
    coordinator = app.test_client()
    sign_in(coordinator, "first-keeper")
    overview = coordinator.get(f"/communities/{first.tenant_id}").get_data(as_text=True)
    assert "Programme A" in overview and "Accelerator" in overview
    mine = coordinator.get(f"/communities/{first.tenant_id}/applications").get_data(as_text=True)
    assert "Admitted" in mine and "Welcome aboard!" in mine
    # The operator now reaches the community as staff of its programme.
    assert operator.get(f"/communities/{first.tenant_id}").status_code == 200
    # The coordinator was told, once, in the app: not only on opening the applications page.
    notices = coordinator.get("/notifications").get_data(as_text=True)
    assert notices.count("Your community is admitted to the programme “Programme A”.") == 1


def test_a_decline_is_told_to_the_coordinators_and_to_nobody_else(world, applied, operator, app):
    second = applied[1]
    assert decide(operator, world, second, "decline", "Not this year.").status_code == 302
    coordinator = app.test_client()
    sign_in(coordinator, "second-keeper")
    notices = coordinator.get("/notifications").get_data(as_text=True)
    assert "application to the programme “Programme A” is declined" in notices
    other = app.test_client()
    sign_in(other, "first-keeper")
    assert "declined" not in other.get("/notifications").get_data(as_text=True)


def test_declining_needs_a_message_and_happens_once(world, applied, operator, app):
    second = applied[1]
    refused = decide(operator, world, second, "decline", "   ")
    assert refused.status_code == 400 and "Write a message to the community." in errors(refused)
    assert all_applications()[1].status is ApplicationStatus.SUBMITTED
    too_long = decide(operator, world, second, "decline", "x" * 2001)
    assert too_long.status_code == 400 and "At most 2000 characters." in errors(too_long)
    assert decide(operator, world, second, "decline", "Not this year: try the spring call.").status_code == 302
    assert decide(operator, world, second, "admit").status_code == 302  # a stale admit changes nothing
    application = all_applications()[1]
    assert application.status is ApplicationStatus.DECLINED
    assert application.decision_message == "Not this year: try the spring call."
    with tenancy.system_scope():
        assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.tenant_id == second.tenant_id)) == 0
    coordinator = app.test_client()
    sign_in(coordinator, "second-keeper")
    mine = coordinator.get(f"/communities/{second.tenant_id}/applications").get_data(as_text=True)
    assert "Declined" in mine and "try the spring call" in mine


def test_a_closed_stage_admits_nobody(world, applied, operator):
    with tenancy.system_scope():
        db.session.execute(update(Stage).where(Stage.programme_id == world.a.programme.id).values(closed_at=func.now()))
        db.session.commit()
    response = decide(operator, world, applied[0], "admit")
    assert response.status_code == 409
    assert "no open stage" in errors(response)
    assert all_applications()[0].status is ApplicationStatus.SUBMITTED


def test_a_full_stage_admits_nobody_more(world, applied, operator):
    with tenancy.system_scope():
        db.session.execute(update(Stage).where(Stage.programme_id == world.a.programme.id).values(capacity=3))
        db.session.commit()
    assert decide(operator, world, applied[0], "admit").status_code == 302  # A1, A2 and this one: 3
    response = decide(operator, world, applied[1], "admit")
    assert response.status_code == 409 and "full" in errors(response)
    assert [a.status for a in all_applications()] == [ApplicationStatus.ADMITTED, ApplicationStatus.SUBMITTED]


@pytest.mark.parametrize("handle", ["mentor-a", "facilitator-a", "coordinator-a"])
def test_only_operators_decide(world, applied, app, handle):
    client = app.test_client()
    sign_in(client, handle)
    assert client.get(review_path(world)).status_code in (403, 404)
    assert decide(client, world, applied[0], "admit").status_code in (403, 404)
    assert all_applications()[0].status is ApplicationStatus.SUBMITTED


def test_decisions_need_a_csrf_token(world, applied, operator):
    response = operator.post(f"{review_path(world)}/{applied[0].id}/admit", data={})
    assert response.status_code == 400
    assert all_applications()[0].status is ApplicationStatus.SUBMITTED


def test_the_application_row_is_shared_only_with_its_organisation(world, applied, app):
    """Row-level security and the ORM wall: another community and another organisation read nothing."""
    application = applied[0]
    with tenancy.scope(tenant_id=world.a.communities[0].id):
        assert db.session.scalars(select(Application)).all() == []
    with tenancy.scope(organisation_id=world.b.organisation.id):
        assert db.session.scalars(select(Application)).all() == []
    with tenancy.scope(organisation_id=world.a.organisation.id):
        assert {a.id for a in db.session.scalars(select(Application))} == {a.id for a in applied}
    with tenancy.scope(tenant_id=application.tenant_id):
        assert [a.id for a in db.session.scalars(select(Application))] == [application.id]
    db.session.rollback()


def test_garbage_never_fails_the_server(world, questions, client):
    """NUL characters (which PostgreSQL cannot store in text) and ids beyond any column's range."""
    response = sign_up(client, world, questions, community_name="Nul\x00Friends", about="We\x00meet.")
    assert response.status_code == 302
    (application,) = all_applications()
    assert application.answers[str(questions["about"].id)] == "Wemeet."
    with tenancy.system_scope():
        assert db.session.get(Community, application.tenant_id).name == "NulFriends"
    huge = 10**20
    anonymous = client.application.test_client()
    assert anonymous.get(f"/calls/{huge}").status_code == 404
    operator = client.application.test_client()
    sign_in(operator, "operator-a")
    programme = f"/organisations/{world.a.organisation.id}/programmes"
    for path in (f"{programme}/{huge}", f"{programme}/{world.a.programme.id}/stages/{huge}",
                 f"{programme}/{world.a.programme.id}/questions/{huge}", f"/organisations/{huge}/programmes"):
        assert operator.get(path).status_code == 404, path
    path = f"{programme}/{world.a.programme.id}/applications/{huge}/admit"
    assert operator.post(path, data={"csrf_token": csrf_token(operator)}).status_code == 404
