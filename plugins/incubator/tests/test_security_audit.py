"""The incubator's security audit: recorded by the expert, sealed, tracked by the community,
and required to complete the incubator stage. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
import pytest
from sqlalchemy import event, inspect, select, text

from hromada.plugin_api import ConsultationStatus, Enrolment, Stage, db, system_scope, tenancy_scope
from hromada.testing.builders import add_consultation
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token
from hromada_incubator.audit.models import AuditFinding, SecurityAudit
from hromada_incubator.audit.requirement import KEY, evaluate, requirements_for
from hromada_incubator.audit.testing import add_audit
from hromada_incubator.audit_checklist import CHECKLIST, CRITICAL, LOW
from hromada_incubator.topics import CONSULTATION_TOPICS

SECURITY, PSYCHOLOGICAL_SUPPORT = "incubator.security", "incubator.psychological_support"
assert {SECURITY, PSYCHOLOGICAL_SUPPORT} <= {topic.key for topic in CONSULTATION_TOPICS}

SECRET = "the shared drive has no second factor audit-xyz"




def body(response) -> str:
    return response.get_data(as_text=True)


def security_consultation(world, topic=SECURITY):
    return add_consultation(world.a.communities[0].id, topic_key=topic, staff_id=world.a.people["expert"].id,
                            notes_author_only=topic == PSYCHOLOGICAL_SUPPORT,
                            requested_by_id=world.a.people["coordinator"].id)


def audit_path(consultation) -> str:
    return f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/security-audit"


def rows(model, *criteria):
    with system_scope():
        result = db.session.scalars(select(model).where(*criteria)).all()
        db.session.expunge_all()
    return result


def record(client, consultation, key, **changes):
    data = {"csrf_token": csrf_token(client, audit_path(consultation)), "prefix": key, f"{key}-item_key": key,
            f"{key}-finding": f"{SECRET} ({key})", f"{key}-risk_level": CRITICAL,
            f"{key}-recommendation": f"Turn it on ({key})"}
    data.update({f"{key}-{name}" if name != "prefix" else name: value for name, value in changes.items()})
    return client.post(audit_path(consultation) + "/findings", data=data)


def enrolment_a1(world) -> Enrolment:
    with system_scope():
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id))
        db.session.expunge(enrolment)
    return enrolment


def test_the_expert_records_the_audit_and_completing_it_meets_the_stage_requirement(app, world):
    consultation = security_consultation(world)
    expert = signed_in(app, "expert-a")
    index = f"/communities/{consultation.tenant_id}/security-audit"
    assert "Start the audit" in body(expert.get(index))
    start = {"csrf_token": csrf_token(expert, index)}
    assert expert.post(audit_path(consultation) + "/start", data=start).status_code == 302
    assert expert.post(audit_path(consultation) + "/start", data=start).status_code == 302  # twice: one audit
    (audit,) = rows(SecurityAudit)
    assert audit.expert_id == world.a.people["expert"].id and audit.completed_at is None

    enrolment = enrolment_a1(world)
    with tenancy_scope(organisation_id=world.a.organisation.id):
        assert evaluate(None, [enrolment])[enrolment.id].met is False
        with app.test_request_context():
            assert str(evaluate(None, [enrolment])[enrolment.id].reason) == "security audit not completed"

    for item in CHECKLIST[:-1]:
        assert record(expert, consultation, item.key).status_code == 302
    # Completing with a point not yet assessed is refused.
    expert.post(audit_path(consultation) + "/complete", data={"csrf_token": csrf_token(expert, index)})
    assert rows(SecurityAudit)[0].completed_at is None

    assert record(expert, consultation, CHECKLIST[-1].key, risk_level=LOW).status_code == 302
    assert record(expert, consultation, CHECKLIST[-1].key, risk_level=LOW).status_code == 302  # again: updated
    assert len(rows(AuditFinding)) == len(CHECKLIST)
    assert expert.post(audit_path(consultation) + "/complete",
                       data={"csrf_token": csrf_token(expert, index)}).status_code == 302
    assert rows(SecurityAudit)[0].completed_at is not None
    with tenancy_scope(organisation_id=world.a.organisation.id):
        assert evaluate(None, [enrolment])[enrolment.id].met is True

    # Once complete, the findings no longer change.
    assert record(expert, consultation, CHECKLIST[0].key, risk_level=LOW).status_code == 302
    assert {f.item_key: f.risk_level for f in rows(AuditFinding)}[CHECKLIST[0].key] == CRITICAL


@pytest.mark.real_commits  # lists the tables on a connection of its own
def test_findings_are_sealed_in_the_database(app, world):
    consultation = security_consultation(world)
    expert = signed_in(app, "expert-a")
    expert.post(audit_path(consultation) + "/start", data={"csrf_token": csrf_token(expert)})
    assert record(expert, consultation, CHECKLIST[0].key).status_code == 302
    found = []
    with system_scope():
        for name in inspect(db.engine).get_table_names():
            for row in db.session.execute(text(f'SELECT * FROM "{name}"')):
                for value in row:
                    if isinstance(value, (bytes, memoryview)) and b"audit-xyz" in bytes(value):
                        found.append(name)
                    elif isinstance(value, (str, dict, list)) and "audit-xyz" in str(value):
                        found.append(name)
    assert found == []
    assert SECRET in body(expert.get(audit_path(consultation)))


@pytest.mark.parametrize("changes, message", [
    ({"finding": ""}, "Describe what you found."),
    ({"recommendation": ""}, "Write a recommendation."),
    ({"risk_level": ""}, "Choose a risk level."),
    ({"risk_level": "apocalyptic"}, "Choose a risk level."),
    ({"finding": "x" * 4001}, "At most 4000 characters."),
    ({"item_key": "horoscope"}, "This point is not on the checklist."),
    ({"prefix": "horoscope"}, "This point is not on the checklist."),
])
def test_a_bad_finding_is_refused_with_a_message_and_nothing_saved(app, world, changes, message):
    consultation = security_consultation(world)
    expert = signed_in(app, "expert-a")
    expert.post(audit_path(consultation) + "/start", data={"csrf_token": csrf_token(expert)})
    response = record(expert, consultation, CHECKLIST[0].key, **changes)
    assert response.status_code == 400
    assert message in body(response)
    assert rows(AuditFinding) == []


def test_who_reads_records_and_tracks_the_audit(app, world):
    consultation = security_consultation(world)
    audit = add_audit(consultation, marker="audit-xyz", expert_id=world.a.people["expert"].id, items=len(CHECKLIST),
                      completed=True)
    path = audit_path(consultation)

    coordinator = signed_in(app, "coordinator-a")
    page = body(coordinator.get(path))
    assert "audit-xyz" in page and "Mark the recommendation done" in page
    mentor = signed_in(app, "mentor-a")
    assert "audit-xyz" in body(mentor.get(path))  # assigned mentors read the findings
    assert "Mark the recommendation done" not in body(mentor.get(path))
    assert mentor.post(path + "/findings", data={"csrf_token": csrf_token(mentor)}).status_code == 403

    for handle in ("operator-a", "facilitator-a", "member-a", "expert-b", "coordinator-b", "operator-b"):
        client = signed_in(app, handle)
        response = client.get(path)
        assert response.status_code in (403, 404) and "audit-xyz" not in body(response), handle
        index = client.get(f"/communities/{consultation.tenant_id}/security-audit")
        assert index.status_code in (403, 404), handle

    # The coordinator tracks a recommendation to done, once.
    key = CHECKLIST[0].key
    token = csrf_token(coordinator)
    for _ in range(2):
        assert coordinator.post(path + "/done", data={"csrf_token": token, "item_key": key}).status_code == 302
    done = {f.item_key: f.done_by_id for f in rows(AuditFinding, AuditFinding.audit_id == audit.id)}
    assert done[key] == world.a.people["coordinator"].id
    assert sum(1 for by in done.values() if by) == 1
    assert coordinator.post(path + "/done", data={"csrf_token": token, "item_key": "horoscope"}).status_code == 400
    expert = signed_in(app, "expert-a")
    assert expert.post(path + "/done", data={"csrf_token": csrf_token(expert), "item_key": key}).status_code == 403


def test_only_the_expert_who_led_a_security_consultation_starts_an_audit(app, world):
    psychological = security_consultation(world, PSYCHOLOGICAL_SUPPORT)
    expert = signed_in(app, "expert-a")
    token = csrf_token(expert)
    assert expert.post(audit_path(psychological) + "/start", data={"csrf_token": token}).status_code == 403
    not_held = add_consultation(world.a.communities[0].id, topic_key=SECURITY, staff_id=world.a.people["expert"].id,
                                status=ConsultationStatus.SCHEDULED)
    assert expert.post(audit_path(not_held) + "/start", data={"csrf_token": token}).status_code == 403
    led_by_mentor = add_consultation(world.a.communities[0].id, topic_key=SECURITY,
                                     staff_id=world.a.people["mentor"].id)
    assert expert.post(audit_path(led_by_mentor) + "/start", data={"csrf_token": token}).status_code == 403
    assert rows(SecurityAudit) == []


def test_the_requirement_answers_for_a_whole_cohort_in_one_query(app, world):
    for community in world.a.communities:
        consultation = add_consultation(community.id, topic_key=SECURITY, staff_id=world.a.people["expert"].id)
        add_audit(consultation, expert_id=world.a.people["expert"].id, completed=community is world.a.communities[0])
    with system_scope():
        enrolments = db.session.scalars(select(Enrolment).where(Enrolment.organisation_id == world.a.organisation.id)
                                        .order_by(Enrolment.id)).all()
        stage = db.session.scalar(select(Stage).where(Stage.programme_id == world.a.programme.id))
        (requirement,) = requirements_for(stage)
        assert requirement.key == KEY
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            outcomes = requirement.evaluate(stage, enrolments)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert [outcomes[e.id].met for e in enrolments] == [True, False]
    with app.test_request_context():
        assert str(outcomes[enrolments[1].id].reason) == "security audit not completed"
    stage.stage_type = "accelerator"
    assert requirements_for(stage) == []


def test_the_progress_page_shows_the_audit_state_without_findings(app, world):
    consultation = security_consultation(world)
    add_audit(consultation, marker="audit-xyz", expert_id=world.a.people["expert"].id, items=3)
    path = f"/communities/{consultation.tenant_id}/programmes/{world.a.programme.id}/progress"
    operator = signed_in(app, "operator-a").get(path)
    if operator.status_code == 404:
        pytest.skip("the progress page is not there yet")
    page = body(operator)
    assert "Security audit" in page and "audit-xyz" not in page
    assert re.search(r"3 of 7 points assessed", page)
    assert "Open the security audit" not in page  # operators see the state only
    assert "Open the security audit" in body(signed_in(app, "coordinator-a").get(path))
