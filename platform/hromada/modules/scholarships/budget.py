"""A call's budget for operators and accounting: committed (approved), paid (recorded payments), remaining,
with a bar drawn on the server, and the tranches as CSV. A fixed number of queries whatever the number of
applications."""

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

    def widths(self) -> tuple[int, int, int]:
        """The bar's three parts in pixels: paid, committed not paid yet, remaining."""
        scale = BAR_WIDTH / max(self.budget, self.committed, 1)
        paid = round(self.paid * scale)
        committed = round(self.committed * scale)
        return paid, max(committed - paid, 0), max(BAR_WIDTH - committed, 0)


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


def tranches_of(call: ScholarshipCall) -> list[Tranche]:
    return list(db.session.scalars(select(Tranche).where(Tranche.call_id == call.id,
                                                         Tranche.organisation_id == call.organisation_id)
                                   .order_by(Tranche.application_id, Tranche.position)))


def _major(amount_minor: int) -> str:
    """Minor units as a plain decimal for a spreadsheet: 600000 -> 6000.00."""
    sign = "-" if amount_minor < 0 else ""
    whole, cents = divmod(abs(amount_minor), 100)
    return f"{sign}{whole}.{cents:02d}"


def tranches_csv(tranches: list[Tranche], names: dict[int, str], header: list[str]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for tranche in tranches:
        writer.writerow([csv_cell(cell) for cell in (
            names.get(tranche.tenant_id, ""), tranche.application_id, tranche.position + 1, tranche.share,
            _major(tranche.amount_minor), tranche.currency, tranche.condition.value,
            tranche.released_at.date().isoformat() if tranche.released_at else "",
            tranche.paid_on.isoformat() if tranche.paid_on else "", tranche.payment_reference)])
    yield buffer.getvalue()
