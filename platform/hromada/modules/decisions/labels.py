"""The translatable names of the decisions module: methods, stances, outcomes and audit actions."""

from hromada.i18n import lazy_gettext as _l
from hromada.modules.decisions.models import DecisionMethod, Stance

METHOD_LABELS = {
    DecisionMethod.CONSENT: _l("Consent"),
    DecisionMethod.CONSENSUS: _l("Consensus"),
    DecisionMethod.VOTE: _l("Majority vote"),
}

METHOD_HINTS = {
    DecisionMethod.CONSENT: _l("Passes at the closing time unless a member objects. An objection needs a reason "
                               "and can be withdrawn."),
    DecisionMethod.CONSENSUS: _l("Each member agrees, stands aside or blocks. One block stops the proposal; "
                                 "it passes when nobody blocks and at least one member agrees."),
    DecisionMethod.VOTE: _l("Each member votes yes, no or abstains. It passes when enough members take part "
                            "(the quorum) and the share of yes among yes and no reaches the threshold."),
}

STANCE_LABELS = {
    Stance.CONSENT: _l("I consent"),
    Stance.OBJECT: _l("I object"),
    Stance.AGREE: _l("I agree"),
    Stance.STAND_ASIDE: _l("I stand aside"),
    Stance.BLOCK: _l("I block"),
    Stance.YES: _l("Yes"),
    Stance.NO: _l("No"),
    Stance.ABSTAIN: _l("I abstain"),
}

# How a count of each stance reads in results.
STANCE_COUNT_LABELS = {
    Stance.CONSENT: _l("consent"),
    Stance.OBJECT: _l("objections"),
    Stance.AGREE: _l("agree"),
    Stance.STAND_ASIDE: _l("stand aside"),
    Stance.BLOCK: _l("blocks"),
    Stance.YES: _l("yes"),
    Stance.NO: _l("no"),
    Stance.ABSTAIN: _l("abstain"),
}

THRESHOLD_LABELS = {
    50: _l("More than half"),
    67: _l("Two thirds"),
    75: _l("Three quarters"),
    100: _l("Everyone who votes yes or no"),
}

# Why a proposal passed or not: the key is stored with the outcome, the sentence shown in the reader's language.
EXPLANATIONS = {
    "no_objection": _l("Nobody objected."),
    "objected": _l("A member objected."),
    "blocked": _l("A member blocked it."),
    "agreed": _l("Nobody blocked it and members agreed."),
    "nobody_agreed": _l("Nobody agreed."),
    "no_quorum": _l("Too few members took part: the quorum was not reached."),
    "majority": _l("The share of yes reached the threshold."),
    "no_majority": _l("The share of yes did not reach the threshold."),
}

AUDIT_LABELS = {
    "decisions.proposal_opened": _l("Proposal opened"),
    "decisions.proposal_closed": _l("Proposal closed"),
}
