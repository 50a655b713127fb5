"""Programme operations called directly, without a page: a form sent twice, or from a page that went
stale, changes once and says why. (The pages' flows, permissions and messages are in test_programmes.py
and test_calls.py.)"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.communities.models import Community
from hromada.modules.programmes import admission, operations
from hromada.modules.programmes.models import Application, ApplicationStatus, Programme
from hromada.modules.questionnaires.models import Question
from hromada.modules.programmes.operations import OutOfDate, Unchanged
from hromada.modules.programmes.testing import add_application, add_question


def stored(model, *criteria) -> list:
    with tenancy.system_scope():
        found = db.session.scalars(select(model).where(*criteria).order_by(model.id)).all()
        db.session.expunge_all()
    return found


def count(model, *criteria) -> int:
    with tenancy.system_scope():
        return db.session.scalar(select(func.count()).select_from(model).where(*criteria))


def test_a_move_sent_twice_or_from_a_stale_page_moves_once(app, world):
    with tenancy.system_scope():
        first, second = (add_question(world.a.programme.id, label, position) for position, label in
                         enumerate(("Who are you?", "What do you do?")))
        db.session.commit()
        first_id = first.id
    operator = world.a.people["operator"]
    with app.test_request_context():
        tenancy.set_organisation(world.a.organisation.id)
        programme = db.session.get(Programme, world.a.programme.id)
        question = db.session.get(Question, first_id)
        operations.move_question(programme, question, operator, direction="down", position=0)
        with pytest.raises(OutOfDate) as again:  # the same click again: the page still shows it first
            operations.move_question(programme, question, operator, direction="down", position=0)
        with pytest.raises(OutOfDate) as past_the_end:
            operations.move_question(programme, question, operator, direction="down", position=1)
        with pytest.raises(OutOfDate) as stale:  # the page counted one question only
            operations.add_stage(programme, app.extensions["hromada.stage_types"]["incubator"], operator,
                                 expected_count=0)
    assert again.value.message == past_the_end.value.message == stale.value.message == operations.STALE
    assert [(question.label, question.position) for question in stored(
        Question, Question.questionnaire_id == Programme.questionnaire_id, Programme.id == world.a.programme.id)] == [
        ("Who are you?", 1), ("What do you do?", 0)]


def test_an_application_is_decided_once(app, world):
    a2 = world.a.communities[1]
    with tenancy.system_scope():
        application_id = add_application(world.a, a2, {}).id
        db.session.commit()
    operator = world.a.people["operator"]
    with app.test_request_context():
        tenancy.set_organisation(world.a.organisation.id)
        programme = db.session.get(Programme, world.a.programme.id)
        application = db.session.get(Application, application_id)
        admission.admit(programme, application, operator, message="Welcome.")
        with pytest.raises(OutOfDate) as again:
            admission.admit(programme, application, operator, message="Welcome again.")
        with pytest.raises(OutOfDate) as declined:
            admission.decline(programme, application, operator, message="Changed our mind.")
    assert again.value.message == declined.value.message == admission.DECIDED_ALREADY
    (decided,) = stored(Application, Application.id == application_id)
    assert (decided.status, decided.decision_message, decided.decided_by_id) == (
        ApplicationStatus.ADMITTED, "Welcome.", operator.id)


def test_a_community_applies_once(app, world):
    a1 = world.a.communities[0].id
    coordinator = world.a.people["coordinator"]
    with app.test_request_context():
        tenancy.set_tenant(a1)
        programme = db.session.get(Programme, world.b.programme.id)
        admission.submit_application(a1, programme, {"1": "We restore the park."}, coordinator)
        with pytest.raises(OutOfDate) as again:
            admission.submit_application(a1, programme, {"1": "Sent twice."}, coordinator)
    assert again.value.message == admission.APPLIED_ALREADY
    assert [(row.tenant_id, row.answers) for row in stored(Application)] == [(a1, {"1": "We restore the park."})]


def test_a_sign_up_signs_in_with_the_sign_up_and_a_taken_handle_keeps_nothing(app, world):
    signed_in = []
    values = dict(community_name="Park Friends", password="a-long-enough-password", email=None, language="uk",
                  answers={}, sign_in=signed_in.append)
    communities = count(Community)
    with app.test_request_context():
        programme = db.session.get(Programme, world.a.programme.id)
        with pytest.raises(Unchanged) as taken:
            admission.sign_up_and_apply(programme, handle="member-a", **values)
        assert signed_in == [] and tenancy.current().tenant_id is None
        community, user, _application = admission.sign_up_and_apply(programme, handle="park-keeper", **values)
        community_id, user_id = community.id, user.id
    assert taken.value.message == admission.HANDLE_TAKEN
    assert [person.id for person in signed_in] == [user_id]
    assert count(Community) == communities + 1
    assert [(row.tenant_id, row.status) for row in stored(Application)] == [(community_id, ApplicationStatus.SUBMITTED)]
    assert [person.handle for person in stored(User, User.id == user_id)] == ["park-keeper"]
