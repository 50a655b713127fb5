"""What reviewers' scores say together: each reviewer's weighted mean, their mean, spread and agreement.

A reviewer's total is the mean of their scores (0-5) weighted by the criteria's weights; the
application's summary is the mean of the totals of the reviewers who submitted, their spread
(highest minus lowest) and how far they agree, so an operator sees where reviewers disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from hromada.i18n import lazy_gettext as _l

AGREEMENT = {
    "agree": _l("Reviewers agree"),
    "differ": _l("Reviewers differ"),
    "disagree": _l("Reviewers disagree"),
}


@dataclass(frozen=True)
class Summary:
    reviews: int
    mean: float | None
    spread: float | None
    agreement: str | None  # a key of AGREEMENT; None with fewer than two reviews

    @property
    def agreement_label(self):
        return AGREEMENT.get(self.agreement or "", "")


def weighted_total(scores: dict, criteria) -> float | None:
    """The reviewer's weighted mean over the criteria they scored (0-5), or None."""
    weight = total = 0
    for criterion in criteria:
        given = scores.get(str(criterion.id))
        if given is None:
            continue
        weight += criterion.weight
        total += criterion.weight * given["score"]
    return round(total / weight, 2) if weight else None


def summarise(totals: list[float]) -> Summary:
    if not totals:
        return Summary(0, None, None, None)
    mean = round(sum(totals) / len(totals), 2)
    if len(totals) < 2:
        return Summary(len(totals), mean, None, None)
    spread = round(max(totals) - min(totals), 2)
    return Summary(len(totals), mean, spread, _agreement(spread))


def _agreement(spread: float) -> str:
    # On a 0-5 scale: within one point the reviewers agree; beyond two they disagree.
    return "agree" if spread <= 1 else "differ" if spread <= 2 else "disagree"


def summarise_range(reviews: int, mean: float | None, low: float | None, high: float | None) -> Summary:
    """The same summary as `summarise`, from what the database aggregated: count, mean, lowest and highest total."""
    if not reviews or mean is None:
        return Summary(0, None, None, None)
    if reviews < 2:
        return Summary(reviews, round(float(mean), 2), None, None)
    spread = round(float(high) - float(low), 2)
    return Summary(reviews, round(float(mean), 2), spread, _agreement(spread))
