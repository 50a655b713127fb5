"""A call's budget, and a programme's over all its calls, for operators and accounting: committed (approved),
paid (recorded payments), remaining, with bars drawn on the server, and the tranches as CSV. A fixed number of
queries whatever the number of calls and applications."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select

from hromada.extensions import db
from hromada.modules.progress.cohort import csv_cell
from hromada.modules.scholarships.models import (
    KeptPayment,
    ScholarshipApplication,
    ScholarshipCall,
    ScholarshipStatus,
    Tranche,
)

BAR_WIDTH = 320  # fits a 390 px screen with the page's margins


@dataclass(frozen=True)
class Figures:
    budget: int
    committed: int
    paid: int

    @property
    def remaining(self) -> int:
        return self.budget - self.committed

    def widths(self, largest: int = 0) -> tuple[int, int, int]:
        """The bar's three parts in pixels: paid, committed not paid yet, remaining. With `largest` (the largest
        budget of a chart's bars) the bar is drawn to that scale, so bars of one chart compare."""
        scale = BAR_WIDTH / max(largest, self.budget, self.committed, 1)
        paid = round(self.paid * scale)
        committed = round(self.committed * scale)
        whole = round(max(self.budget, self.committed) * scale)
        return paid, max(committed - paid, 0), max(whole - committed, 0)


def figures(call: ScholarshipCall) -> Figures:
    committed = db.session.scalar(select(func.coalesce(func.sum(ScholarshipApplication.approved_minor), 0)).where(
        ScholarshipApplication.call_id == call.id, ScholarshipApplication.status == ScholarshipStatus.APPROVED))
    paid = db.session.scalar(select(func.coalesce(func.sum(Tranche.amount_minor), 0)).where(
        Tranche.call_id == call.id, Tranche.paid_on.is_not(None)))
    # What was paid to communities erased since: their approvals are gone, the money paid stays spent.
    kept = db.session.scalar(select(func.coalesce(func.sum(KeptPayment.amount_minor), 0)).where(
        KeptPayment.call_id == call.id, KeptPayment.organisation_id == call.organisation_id))
    # PostgreSQL sums a bigint as a numeric
    return Figures(budget=call.budget_minor, committed=int(committed) + int(kept), paid=int(paid) + int(kept))


@dataclass(frozen=True)
class CallFigures:
    call: ScholarshipCall
    figures: Figures


def programme_figures(organisation_id: int, programme_id: int) -> tuple[list[CallFigures], dict[str, Figures]]:
    """Each call of the programme with its figures (newest first), and the totals by currency (calls in different
    currencies are never added up), in three queries."""
    calls = db.session.scalars(select(ScholarshipCall).where(ScholarshipCall.programme_id == programme_id,
                                                            ScholarshipCall.organisation_id == organisation_id)
                               .order_by(ScholarshipCall.opens_on.desc(), ScholarshipCall.id.desc())).all()
    ids = [call.id for call in calls]
    committed = dict(db.session.execute(
        select(ScholarshipApplication.call_id, func.coalesce(func.sum(ScholarshipApplication.approved_minor), 0))
        .where(ScholarshipApplication.call_id.in_(ids), ScholarshipApplication.organisation_id == organisation_id,
               ScholarshipApplication.status == ScholarshipStatus.APPROVED)
        .group_by(ScholarshipApplication.call_id)).all()) if ids else {}
    paid = dict(db.session.execute(
        select(Tranche.call_id, func.coalesce(func.sum(Tranche.amount_minor), 0))
        .where(Tranche.call_id.in_(ids), Tranche.organisation_id == organisation_id, Tranche.paid_on.is_not(None))
        .group_by(Tranche.call_id)).all()) if ids else {}
    rows = [CallFigures(call, Figures(budget=call.budget_minor, committed=int(committed.get(call.id, 0)),
                                      paid=int(paid.get(call.id, 0)))) for call in calls]
    totals: dict[str, Figures] = {}
    for row in rows:
        before = totals.get(row.call.budget_currency, Figures(0, 0, 0))
        totals[row.call.budget_currency] = Figures(budget=before.budget + row.figures.budget,
                                                   committed=before.committed + row.figures.committed,
                                                   paid=before.paid + row.figures.paid)
    return rows, totals


def programme_tranches(organisation_id: int, call_ids: list[int]) -> list[Tranche]:
    """The tranches of these calls, call by call (for the programme's CSV)."""
    if not call_ids:
        return []
    return list(db.session.scalars(select(Tranche).where(Tranche.call_id.in_(call_ids),
                                                         Tranche.organisation_id == organisation_id)
                                   .order_by(Tranche.call_id, Tranche.application_id, Tranche.position)))


def tranches_of(call: ScholarshipCall) -> list[Tranche]:
    return list(db.session.scalars(select(Tranche).where(Tranche.call_id == call.id,
                                                         Tranche.organisation_id == call.organisation_id)
                                   .order_by(Tranche.application_id, Tranche.position)))


def _major(amount_minor: int) -> str:
    """Minor units as a plain decimal for a spreadsheet: 600000 -> 6000.00."""
    sign = "-" if amount_minor < 0 else ""
    whole, cents = divmod(abs(amount_minor), 100)
    return f"{sign}{whole}.{cents:02d}"


def tranches_csv(tranches: list[Tranche], names: dict[int, str], header: list[str],
                 calls: dict[int, str] | None = None) -> Iterator[str]:
    """The tranches as CSV rows; with `calls` ({call id: title}), each row starts with its call's title."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for tranche in tranches:
        writer.writerow([csv_cell(cell) for cell in ((calls.get(tranche.call_id, ""),) if calls is not None else ()) + (
            names.get(tranche.tenant_id, ""), tranche.application_id, tranche.position + 1, tranche.share,
            _major(tranche.amount_minor), tranche.currency, tranche.condition.value,
            tranche.released_at.date().isoformat() if tranche.released_at else "",
            tranche.paid_on.isoformat() if tranche.paid_on else "", tranche.payment_reference)])
    yield buffer.getvalue()
