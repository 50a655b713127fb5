"""The demo's consultations and security audit, as the demo's people see them on their pages."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import column, func, select, table

from hromada import tenancy
from hromada.demo import DEMO_PASSWORD, seed_demo
from hromada.extensions import db
from hromada.modules.communities.models import Community
from hromada.modules.consultations.models import Consultation, FollowUp
from hromada.modules.programmes.models import Programme
from hromada.testing.factories import sign_in



@pytest.fixture
def demo(app):
    seed_demo(app.extensions["hromada.stage_types"])
    with tenancy.system_scope():
        return {community.name: community.id for community in db.session.scalars(select(Community))}


def page(app, handle: str, path: str) -> str:
    client = app.test_client()
    assert sign_in(client, handle, DEMO_PASSWORD).status_code == 302, handle
    response = client.get(path)
    assert response.status_code == 200, (handle, path, response.status_code)
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def totals(html: str) -> list[str]:
    """The cells of a KPI table's "All topics" row."""
    footer = html.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", footer)]


def test_the_mentor_finds_the_consultations_he_held_waiting_and_coming_with_his_kpis(app, demo):
    html = page(app, "mykola-mentor", "/staff/consultations")
    # A request from Riverside Yard Circle waits for a time; a strategy session with Green Quarter is coming.
    waiting = html.split("Requests waiting for a time", 1)[1].split("Coming up", 1)[0]
    assert "Riverside Yard Circle" in waiting and "Psychological support" in waiting
    coming = html.split("Coming up", 1)[1].split("Your KPIs", 1)[0]
    assert "Green Quarter Initiative" in coming and "Strategy" in coming and "(Kyiv time)" in coming
    # Four of his (one still coming), three held: 60 + 45 + 120 minutes, rated 4, 5 and 4.
    assert totals(html) == ["4", "3", "3.8", "20.0", "4.3", "0"]
    assert "You have not led a consultation yet." not in html
    # He was told of the request, as the request form tells the community's mentor.
    notifications = page(app, "mykola-mentor", "/notifications")
    assert "A community asked for a consultation." in notifications


def test_the_coordinator_sees_the_communitys_consultations_their_follow_ups_and_the_audit(app, demo):
    riverside = demo["Riverside Yard Circle"]
    html = page(app, "sova", f"/communities/{riverside}/consultations")
    for status in ("Held and rated", "Cancelled", "Scheduled", "Requested"):
        assert f"<dt>{status}</dt>" in html, status
    assert "iryna-expert" in html and "mykola-mentor" in html
    assert "A consultation was scheduled for" in page(app, "sova", "/notifications")

    with tenancy.system_scope():
        held = db.session.scalar(select(Consultation).where(Consultation.tenant_id == riverside,
                                                            Consultation.topic_key == "incubator.security",
                                                            Consultation.rating.is_not(None)))
        consultation_id = held.id
    detail = page(app, "sova", f"/communities/{riverside}/consultations/{consultation_id}")
    assert "a security audit of the circle" in detail  # the summary
    assert "Turn on two-factor sign-in for the circle's shared mailbox" in detail
    follow_ups = page(app, "sova", f"/communities/{riverside}/follow-ups")
    assert "Overdue" in follow_ups and "Done" in follow_ups

    audit = page(app, "sova", f"/communities/{riverside}/consultations/{consultation_id}/security-audit")
    assert "In progress" in audit and "4 of 7 points assessed" in audit
    assert "Critical risk" in audit and "Not assessed yet." in audit
    assert "The organising chat has 43 participants" in audit  # unsealed for the coordinator


def test_the_confidential_note_is_sealed_and_only_its_author_reads_it(app, demo):
    riverside = demo["Riverside Yard Circle"]
    with tenancy.system_scope():
        noted = db.session.scalar(select(Consultation).where(Consultation.tenant_id == riverside,
                                                             Consultation.private_notes.is_not(None)))
        assert b"district administration" not in bytes(noted.private_notes)
        consultation_id = noted.id
    notes = page(app, "iryna-expert", f"/communities/{riverside}/consultations/{consultation_id}/notes")
    assert "a relative working for the district administration" in notes
    detail = page(app, "mykola-mentor", f"/communities/{riverside}/consultations/{consultation_id}")
    assert "Read the private notes" not in detail and "district administration" not in detail


def test_the_operator_sees_the_programmes_consultation_kpis(app, demo):
    with tenancy.system_scope():
        programme = db.session.scalar(select(Programme))
        path = f"/organisations/{programme.organisation_id}/programmes/{programme.id}/consultations"
    html = page(app, "olena-operator", path)
    consultations, held, hours, _response, rating, cancelled = totals(html)
    assert (held, hours, rating, cancelled) == ("5", "6.5", "4.5", "1")
    assert int(consultations) == 9


def test_running_the_demo_again_adds_no_consultation_follow_up_or_audit(app, demo):
    def counts():
        with tenancy.system_scope():
            return [db.session.scalar(select(func.count()).select_from(model))
                    for model in (Consultation, FollowUp, table("incubator_audit_findings", column("id")))]

    before = counts()
    assert before[0] >= 10 and before[1] >= 9 and before[2] == 4
    seed_demo(app.extensions["hromada.stage_types"])
    assert counts() == before
