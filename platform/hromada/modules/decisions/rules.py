"""What each method makes of the positions taken: pure functions, tested without a database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from hromada.contributions import DecisionRule
from hromada.modules.decisions.models import DecisionMethod, Stance

# Until a community adopts its rule "how we decide" (DOMAIN: the charter governs decisions).
DEFAULT_RULE = DecisionRule(method=DecisionMethod.CONSENT.value, quorum_percent=0, days=7, threshold_percent=50)


@dataclass(frozen=True)
class Result:
    passed: bool
    explanation: str  # a key of labels.EXPLANATIONS


def fingerprint(text: str, version: str | None = None) -> str:
    """SHA-256 of what is decided: the text, and the version of the subject it was read from."""
    return hashlib.sha256(f"{version or ''}\n{text}".encode("utf-8")).hexdigest()


def quorum_needed(electorate: int, quorum_percent: int) -> int:
    """How many members must take part: the share of the members counted at the opening, rounded up."""
    return -(-electorate * quorum_percent // 100)


def result(method: DecisionMethod, counts: dict[Stance, int], *, electorate: int, quorum_percent: int,
           threshold_percent: int) -> Result:
    if method is DecisionMethod.CONSENT:
        if counts.get(Stance.OBJECT, 0):
            return Result(False, "objected")
        return Result(True, "no_objection")
    if method is DecisionMethod.CONSENSUS:
        if counts.get(Stance.BLOCK, 0):
            return Result(False, "blocked")
        if not counts.get(Stance.AGREE, 0):
            return Result(False, "nobody_agreed")
        return Result(True, "agreed")
    yes, no, abstain = (counts.get(stance, 0) for stance in (Stance.YES, Stance.NO, Stance.ABSTAIN))
    if yes + no + abstain < max(quorum_needed(electorate, quorum_percent), 1):
        return Result(False, "no_quorum")
    # "More than half" (50) needs yes > no; a higher threshold needs its share of yes and no.
    if yes > no and yes * 100 >= threshold_percent * (yes + no):
        return Result(True, "majority")
    return Result(False, "no_majority")
