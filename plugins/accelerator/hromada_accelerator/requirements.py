"""What the accelerator asks of a community before it moves on, and the cohort's manifesto column.

Requirements read what the community adopted by a decision shared with the stage's
programme: what it decided only among its members does not reach the operator.
Each function makes a fixed number of queries, whatever the number of communities.
"""

from __future__ import annotations

from sqlalchemy import select
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from hromada.plugin_api import CohortColumn, Outcome, Requirement, StageSetting, db, latest_proposals_about
from hromada.plugin_api import lazy_gettext as _l
from hromada.plugin_api import format_day, stage_setting
from hromada_accelerator.charter.draft import SUBJECT as CHARTER
from hromada_accelerator.charter.models import CharterVersion
from hromada_accelerator.manifesto import revisions
from hromada_accelerator.meeting.requirement import evaluate_plan, plan_column
from hromada_accelerator.manifesto.models import ManifestoRevision
from hromada_accelerator.strategy.draft import SUBJECT as STRATEGY
from hromada_accelerator.strategy.models import StrategyVersion
from hromada_accelerator.visibility import adopted_by_decision

STAGE_TYPE = "accelerator"
MANIFESTO_REQUIRED = "manifesto_required"
GOALS_REQUIRED = "strategic_goals_required"
WHOLE_NUMBER = _l("Enter a whole number.")
MANIFESTO_STATES = {
    revisions.NONE: _l("none"),
    revisions.DRAFT: _l("draft"),
    revisions.IN_DECISION: _l("in decision"),
    revisions.ADOPTED: _l("adopted"),
}


def settings_fields(stage_type) -> list[StageSetting]:
    if stage_type.key != STAGE_TYPE:
        return []
    return [
        StageSetting(GOALS_REQUIRED, IntegerField(
            _l("Strategic goals a community adopts before it moves on"), default=3,
            validators=[InputRequired(message=WHOLE_NUMBER),
                        NumberRange(min=0, max=10, message=_l("Between 0 and 10."))],
            invalid_value_message=WHOLE_NUMBER)),
        StageSetting(MANIFESTO_REQUIRED, BooleanField(
            _l("A community adopts its manifesto before it moves on"), default=True)),
    ]


def _open_proposals(model, subject: str, tenant_ids, programme_id: int) -> dict[int, object]:
    """{community id: an open proposal about one of its `model` rows, shared with the programme}."""
    owners = dict(db.session.execute(select(model.id, model.tenant_id).where(model.tenant_id.in_(tenant_ids))).all())
    found = {}
    for subject_id, proposal in latest_proposals_about(subject, owners).items():
        if not proposal.is_closed and proposal.programme_id == programme_id:
            found[owners[subject_id]] = proposal
    return found


def _waiting(proposal, not_yet) -> Outcome:
    if proposal is None:
        return Outcome(False, not_yet)
    return Outcome(False, _l("%(what)s: the decision closes on %(when)s", what=not_yet,
                             when=format_day(proposal.closes_at)))


def evaluate_charter(stage, enrolments) -> dict[int, Outcome]:
    tenant_ids = [enrolment.tenant_id for enrolment in enrolments]
    adopted = {}
    for tenant_id, content in db.session.execute(
        select(CharterVersion.tenant_id, CharterVersion.content)
        .where(CharterVersion.tenant_id.in_(tenant_ids),
               adopted_by_decision(CharterVersion, CHARTER, [stage.programme_id]))
        .order_by(CharterVersion.adopted_at)
    ):
        adopted[tenant_id] = content  # the latest adopted one wins
    waiting = _open_proposals(CharterVersion, CHARTER, tenant_ids, stage.programme_id)
    outcomes = {}
    for enrolment in enrolments:
        content = adopted.get(enrolment.tenant_id)
        if content and content.get("values") and content.get("rules"):
            outcomes[enrolment.id] = Outcome(True, "")
        else:
            outcomes[enrolment.id] = _waiting(waiting.get(enrolment.tenant_id),
                                              _l("values and at least one rule not yet adopted"))
    return outcomes


def evaluate_strategy(stage, enrolments) -> dict[int, Outcome]:
    try:
        needed = max(int(stage_setting(stage, GOALS_REQUIRED) or 0), 0)
    except (TypeError, ValueError):
        needed = 3  # a setting that is not a number reads as the form's default
    tenant_ids = [enrolment.tenant_id for enrolment in enrolments]
    adopted = {}
    for tenant_id, content in db.session.execute(
        select(StrategyVersion.tenant_id, StrategyVersion.content)
        .where(StrategyVersion.tenant_id.in_(tenant_ids),
               adopted_by_decision(StrategyVersion, STRATEGY, [stage.programme_id]))
        .order_by(StrategyVersion.adopted_at)
    ):
        adopted[tenant_id] = content
    waiting = _open_proposals(StrategyVersion, STRATEGY, tenant_ids, stage.programme_id)
    outcomes = {}
    for enrolment in enrolments:
        content = adopted.get(enrolment.tenant_id) or {}
        goals = len(content.get("goals", []))
        if content.get("vision") and content.get("mission") and goals >= needed:
            outcomes[enrolment.id] = Outcome(True, "")
        elif content:
            outcomes[enrolment.id] = Outcome(False, _l("the adopted strategy has %(goals)s of %(needed)s strategic goals",
                                                       goals=goals, needed=needed))
        else:
            outcomes[enrolment.id] = _waiting(waiting.get(enrolment.tenant_id),
                                              _l("vision, mission and strategic goals not yet adopted"))
    return outcomes


def evaluate_manifesto(stage, enrolments) -> dict[int, Outcome]:
    tenant_ids = [enrolment.tenant_id for enrolment in enrolments]
    adopted = set(db.session.scalars(
        select(ManifestoRevision.tenant_id)
        .where(ManifestoRevision.tenant_id.in_(tenant_ids),
               adopted_by_decision(ManifestoRevision, revisions.SUBJECT, [stage.programme_id]))))
    waiting = _open_proposals(ManifestoRevision, revisions.SUBJECT, tenant_ids, stage.programme_id)
    return {enrolment.id: Outcome(True, "") if enrolment.tenant_id in adopted else
            _waiting(waiting.get(enrolment.tenant_id), _l("manifesto not yet adopted"))
            for enrolment in enrolments}


def requirements_for(stage) -> list[Requirement]:
    if stage.stage_type != STAGE_TYPE:
        return []
    found = [Requirement("accelerator.charter", _l("Values and rules adopted"), evaluate_charter),
             Requirement("accelerator.strategy", _l("Vision, mission and strategic goals adopted"), evaluate_strategy),
             Requirement("accelerator.operational_plan", _l("Operational plan approved"), evaluate_plan)]
    if stage_setting(stage, MANIFESTO_REQUIRED):
        found.append(Requirement("accelerator.manifesto", _l("Manifesto adopted"), evaluate_manifesto))
    return found


def cohort_columns(programme, enrolments) -> list[CohortColumn]:
    states = revisions.states(enrolment.tenant_id for enrolment in enrolments)
    return [
        CohortColumn("accelerator.manifesto", _l("Manifesto"),
                     {enrolment.id: MANIFESTO_STATES[states[enrolment.tenant_id][0]] for enrolment in enrolments}),
        CohortColumn("accelerator.plan_done", _l("Plan actions done"), plan_column(programme, enrolments)),
    ]
