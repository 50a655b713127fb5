"""The payment schedule of an approved scholarship: tranches by the call's plan that add up to the amount
approved, released by their condition, a payment recorded once, and only the community and its organisation
see them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.audit.models import AuditEvent
from hromada.modules.programmes.models import Programme
from hromada.modules.scholarships import tranches as scheduling
from hromada.modules.scholarships.models import ScholarshipCall, Tranche, TrancheCondition
from hromada.modules.scholarships.testing import make_application, make_call
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token


def errors(response) -> str:
    page = response.get_data(as_text=True)
    return " ".join(re.findall(r'<span class="error"[^>]*>([^<]+)</span>', page))


def post(client, path, back, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, back), **data})


@pytest.fixture
def applied(world) -> dict:
    """A's call paying 60 % on approval and 40 % when the progress report is approved; A1 asked for 10,000.01."""
    with tenancy.system_scope():
        call = make_call(db.session.get(Programme, world.a.programme.id))
        call.tranche_plan = [{"share": 60, "condition": "on_approval"},
                             {"share": 40, "condition": "progress_report_approved"}]
        application = make_application(call, world.a.communities[0].id, requested_minor=1_000_001)
        db.session.commit()
        base = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/scholarships/{call.id}"
        return {"call": call.id, "application": application.id, "base": base, "stage": call.stage_id,
                "page": f"{base}/applications/{application.id}",
                "community": f"/communities/{world.a.communities[0].id}/scholarships/{call.id}"}


def approve(app, applied, amount="10000.01"):
    operator = signed_in(app, "operator-a")
    response = post(operator, f"{applied['page']}/determination", applied["page"], decision="approve",
                    amount=amount, amount_currency="UAH")
    assert response.status_code == 302
    return operator


def schedule(applied) -> list[Tranche]:
    db.session.expire_all()  # what the requests wrote, not what this session loaded before
    with tenancy.system_scope():
        return scheduling.schedule_of(applied["application"])


def test_split_gives_the_rounding_remainder_to_the_last_tranche():
    assert scheduling.split(1_000_001, [60, 40]) == [600_000, 400_001]
    assert scheduling.split(100, [33, 33, 34]) == [33, 33, 34]
    assert scheduling.split(1, [50, 50]) == [0, 1]
    assert sum(scheduling.split(999_999_999, [17, 29, 54])) == 999_999_999


def test_an_approval_creates_the_schedule_and_releases_the_first_tranche(app, applied):
    approve(app, applied)
    first, second = schedule(applied)
    assert (first.amount_minor, second.amount_minor) == (600_000, 400_001)
    assert first.released_at is not None and second.released_at is None
    assert second.condition == TrancheCondition.PROGRESS_REPORT_APPROVED
    community = signed_in(app, "coordinator-a").get(applied["community"]).get_data(as_text=True)
    assert "Payment schedule" in community and "UAH6,000.00" in community and "UAH4,000.01" in community
    assert "Released: payment on its way" in community and "Waiting for its condition" in community
    assert "Record the payment" not in community


def test_the_operator_records_a_released_tranche_once(app, applied):
    operator = approve(app, applied)
    first, second = schedule(applied)
    pay = f"{applied['page']}/tranches/{first.id}/payment"
    future = post(operator, pay, applied["page"], paid_on="2999-01-01", reference="PAY-1")
    assert future.status_code == 400 and "A payment cannot be recorded for a day still to come." in errors(future)
    no_reference = post(operator, pay, applied["page"], paid_on="2026-12-01", reference="")
    assert no_reference.status_code == 400 and "Enter the payment reference." in errors(no_reference)
    not_released = post(operator, f"{applied['page']}/tranches/{second.id}/payment", applied["page"],
                        paid_on="2026-12-01", reference="PAY-2")
    assert not_released.status_code == 400 and "not released yet" in errors(not_released)
    token = csrf_token(operator, applied["page"])
    for _ in range(2):  # the same form sent twice
        response = operator.post(pay, data={"csrf_token": token, "paid_on": "2026-12-01", "reference": "PAY-1"})
        assert response.status_code == 302
    first, second = schedule(applied)
    assert (str(first.paid_on), first.payment_reference) == ("2026-12-01", "PAY-1") and second.paid_on is None
    with tenancy.system_scope():
        actions = [event.action for event in db.session.scalars(select(AuditEvent))]
    assert actions.count("scholarships.tranche_paid") == 1
    community = signed_in(app, "coordinator-a").get(applied["community"]).get_data(as_text=True)
    assert "reference PAY-1" in community


def test_a_met_condition_releases_its_tranche(app, applied):
    approve(app, applied)
    with tenancy.system_scope():
        assert scheduling.release(applied["application"], TrancheCondition.PROGRESS_REPORT_APPROVED) == 1
        assert scheduling.release(applied["application"], TrancheCondition.PROGRESS_REPORT_APPROVED) == 0
        db.session.commit()
    assert all(tranche.released_at for tranche in schedule(applied))


def test_the_call_form_checks_the_tranche_plan(app, world, applied):
    operator = signed_in(app, "operator-a")
    edit = f"{applied['base']}/edit"
    page = operator.get(edit).get_data(as_text=True)
    assert 'name="tranche_1_share"' in page and 'value="60"' in page
    fields = {"title": "Seed grants", "purpose": "Grants", "stage_id": str(applied["stage"]),
              "budget": "100000", "budget_currency": "UAH", "max_per_community": "25000",
              "opens_on": "2026-12-01", "closes_on": "2027-01-31"}
    short = post(operator, edit, edit, **fields, tranche_1_share="60", tranche_2_share="30")
    assert short.status_code == 400 and "The tranches must add up to 100 percent." in errors(short)
    no_report = post(operator, edit, edit, **fields, tranche_1_share="60", tranche_2_share="40",
                     tranche_2_condition="final_report_approved")
    assert no_report.status_code == 400 and "set its due date first" in errors(no_report)
    saved = post(operator, edit, edit, **fields, final_report_due="2027-06-30", tranche_1_share="70",
                 tranche_1_condition="on_approval", tranche_2_share="30", tranche_2_condition="final_report_approved")
    assert saved.status_code == 302
    with tenancy.system_scope():
        assert db.session.get(ScholarshipCall, applied["call"]).tranche_plan == [
            {"share": 70, "condition": "on_approval"}, {"share": 30, "condition": "final_report_approved"}]


def test_nobody_else_sees_or_pays_the_tranches(app, world, applied):
    approve(app, applied)
    first, _ = schedule(applied)
    for handle in ("coordinator-b", "member-a", "expert-a"):
        assert signed_in(app, handle).get(applied["community"]).status_code in (403, 404), handle
    assert signed_in(app, "expert-a").get(applied["page"]).status_code in (403, 404)
    operator_b = signed_in(app, "operator-b")
    response = operator_b.post(f"{applied['page']}/tranches/{first.id}/payment",
                               data={"paid_on": "2026-12-01", "reference": "X", "csrf_token": csrf_token(
                                   operator_b, f"/organisations/{world.b.organisation.id}/programmes/"
                                               f"{world.b.programme.id}/scholarships/new")})
    assert response.status_code in (403, 404)
    assert schedule(applied)[0].paid_on is None


def test_the_budget_view_shows_committed_paid_and_remaining_and_a_csv(app, applied):
    operator = approve(app, applied)
    first, _ = schedule(applied)
    assert post(operator, f"{applied['page']}/tranches/{first.id}/payment", applied["page"], paid_on="2026-12-01",
                reference="=PAY-1").status_code == 302
    page = operator.get(f"{applied['base']}/budget")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in body and "<script" not in body
    # Budget 100,000; approved 10,000.01; paid 6,000.00.
    assert "UAH10,000.01" in body and "UAH6,000.00" in body and "UAH89,999.99" in body
    download = operator.get(f"{applied['base']}/budget.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    lines = download.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 3 and lines[1].endswith(",6000.00,UAH,on_approval,"
                                                 f"{first.released_at.date().isoformat()},2026-12-01,'=PAY-1")
    assert lines[2].split(",")[4:6] == ["4000.01", "UAH"]
    assert signed_in(app, "expert-a").get(f"{applied['base']}/budget").status_code in (403, 404)
    assert signed_in(app, "operator-b").get(f"{applied['base']}/budget.csv").status_code in (403, 404)
