"""Issue 15: a programme's scholarship budget over all its calls (committed, paid, remaining, a chart drawn on the
server, the tranches as CSV), linked from the programme's calls, and the operators' only."""

from __future__ import annotations

from datetime import date

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.scholarships.models import ScholarshipStatus
from hromada.modules.scholarships.testing import approved_with_tranches, make_application, make_call
from hromada.testing.factories import signed_in


def test_the_programme_budget_adds_up_its_calls_by_currency(app, world):
    with tenancy.system_scope():
        programme = world.a.programme
        seeds = make_call(programme, title="Seed grants", budget_minor=10_000_000)
        maps = make_call(programme, title="Change-map grants", budget_minor=5_000_000)
        euros = make_call(programme, title="Travel grants", budget_minor=300_000, max_minor=100_000, currency="EUR")
        first = make_application(seeds, world.a.communities[0].id, requested_minor=2_000_000,
                                 status=ScholarshipStatus.APPROVED)
        paid, _waiting = approved_with_tranches(first, seeds)
        paid.paid_on, paid.payment_reference = date(2026, 12, 1), "PAY-7"
        second = make_application(maps, world.a.communities[1].id, requested_minor=1_000_000,
                                  status=ScholarshipStatus.APPROVED)
        approved_with_tranches(second, maps)
        make_application(maps, world.a.communities[0].id, requested_minor=500_000)  # submitted: not committed
        ids = (programme.organisation_id, programme.id, euros.id)
        db.session.commit()
    base = f"/organisations/{ids[0]}/programmes/{ids[1]}/scholarships"
    operator = signed_in(app, "operator-a")
    assert f'href="{base}/budget"' in operator.get(base).get_data(as_text=True)  # linked from the calls
    response = operator.get(f"{base}/budget")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("<svg") == 5 and "<script" not in page  # 2 totals, 3 calls
    # UAH: budgets 100,000 + 50,000; committed 20,000 + 10,000; paid 12,000 (60 % of the first); remaining 120,000.
    for amount in ("UAH150,000.00", "UAH30,000.00", "UAH12,000.00", "UAH120,000.00"):
        assert amount in page
    assert "€3,000.00" in page and "Travel grants" in page  # never added to the hryvnias
    download = operator.get(f"{base}/budget.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    lines = download.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Call,Community,") and len(lines) == 5  # the header and two tranches per approval
    assert any(line.startswith("Seed grants,") and line.endswith(",2026-12-01,PAY-7") for line in lines)
    for who in ("mentor-a", "coordinator-a", "operator-b"):
        assert signed_in(app, who).get(f"{base}/budget").status_code in (403, 404), who
        assert signed_in(app, who).get(f"{base}/budget.csv").status_code in (403, 404), who
