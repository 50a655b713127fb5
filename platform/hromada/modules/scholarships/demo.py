"""The demo's scholarship call: the accelerator stage's call, with applications in every state.

- Green Quarter Initiative: approved for less than it asked, the first tranche paid, the progress report due soon;
- Linden Court Neighbours: submitted and in review: two reviewers, one has scored, the other has declared no
  conflict and is reading it;
- Amber Hill Allotments: declined, with a message saying why and what to send next time;
- Stone Bridge Youth Hub: a draft, which it cannot send yet: its operational plan waits for the programme's approval.

And the civic course stage's call: Night Bakers Collective approved for its adopted change map, the first half paid,
the second waiting for every action of the map's first milestone to be done.

Linden Court and Amber Hill may apply because the accelerator's demo gave them an adopted strategy and an approved
operational plan (hromada_accelerator's strategy and meeting demos). Every step creates only what is missing, so
running the demo again changes nothing; dates are relative to the day it is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from hromada import tenancy
from hromada.clock import now, today
from hromada.extensions import db
from hromada.modules.action_plans.models import ActionPlan
from hromada.modules.communities.models import Enrolment
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.questionnaires import artefacts
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.models import QuestionKind
from hromada.modules.questionnaires.operations import QuestionFields
from hromada.modules.scholarships import reports, tranches
from hromada.modules.scholarships.models import (
    Criterion,
    Recommendation,
    Review,
    ReviewStatus,
    ScholarshipApplication,
    ScholarshipCall,
    ScholarshipStatus,
)
from hromada.modules.scholarships.summary import weighted_total

TITLE = "Accelerator scholarships 2027"
# (title, weight, what each score from 0 to 5 means)
RUBRIC = (
    ("Carries out the approved operational plan", 3,
     ["Not related to the plan", "Mentions the plan", "Serves one action of the plan",
      "Serves several actions of one goal", "Serves a goal of the plan as a whole",
      "Carries out a goal, with who does what and when"]),
    ("A realistic budget", 2,
     ["No budget", "Amounts without items", "Items, several unrealistic", "Realistic, some items unexplained",
      "Realistic and explained", "Realistic, explained, with quotes"]),
    ("Reaches neighbours beyond the community", 1,
     ["Only the members", "A few guests", "One neighbouring group", "Several groups of the area",
      "The whole area", "The whole area, with partners"]),
)


@dataclass(frozen=True)
class DemoReview:
    reviewer: str  # a demo staff handle
    status: ReviewStatus
    scores: tuple[int, ...] = ()  # one per criterion of RUBRIC, when scored
    recommendation: Recommendation | None = None
    comment: str = ""


@dataclass(frozen=True)
class DemoApplication:
    community: str
    status: ScholarshipStatus
    requested_minor: int | None
    change: str  # the answer to the first question
    budget: tuple[tuple[str, int], ...] = ()  # (item, amount in minor units)
    submitted_days_ago: int | None = None
    determined_days_ago: int | None = None
    approved_minor: int | None = None
    message: str = ""
    reviews: tuple[DemoReview, ...] = field(default_factory=tuple)


APPLICATIONS = (
    DemoApplication(
        "Green Quarter Initiative", ScholarshipStatus.APPROVED, 6_500_000,
        "Twenty new trees along the school path, planted and watered by neighbours, and a tool shed the whole "
        "quarter can borrow from.",
        (("Saplings (20)", 4_000_000), ("Tool shed and tools", 2_500_000)),
        submitted_days_ago=6, determined_days_ago=4, approved_minor=6_000_000,
        message="Approved for UAH 60,000: the tool shed can wait for the second tranche.",
        reviews=(DemoReview("mykola-mentor", ReviewStatus.SUBMITTED, (5, 4, 4), Recommendation.FUND,
                            "The trees carry out the first goal of the plan; neighbours already signed up to water."),
                 DemoReview("iryna-expert", ReviewStatus.SUBMITTED, (4, 3, 4), Recommendation.FUND,
                            "Good plan; the shed's cost is an estimate without quotes."))),
    DemoApplication(
        "Linden Court Neighbours", ScholarshipStatus.SUBMITTED, 4_800_000,
        "The common room of block 3 reopens three evenings a week: heating for the winter, a kettle and chairs, "
        "and a noticeboard for the help rota.",
        (("Heater and a winter's electricity", 2_600_000), ("Chairs (20) and a kettle", 1_700_000),
         ("Noticeboard and printing", 500_000)),
        submitted_days_ago=3,
        reviews=(DemoReview("mykola-mentor", ReviewStatus.SUBMITTED, (4, 4, 3), Recommendation.FUND,
                            "The room is the heart of their plan; ten neighbours have signed up for the rota."),
                 DemoReview("iryna-expert", ReviewStatus.REVIEWING))),
    DemoApplication(
        "Amber Hill Allotments", ScholarshipStatus.DECLINED, 7_500_000,
        "Water for the upper plots: a pump, pipes and a tank, and a seed library in the tool shed.",
        (("Pump, pipes and tank", 6_800_000), ("Seed library shelves and jars", 700_000)),
        submitted_days_ago=6, determined_days_ago=1,
        message=("Thank you, Amber Hill. The reviewers liked the seed library, but most of the budget is for a "
                 "water supply, building works this call cannot fund. Please apply to the next call with the seed "
                 "library and the open garden days for schools."),
        reviews=(DemoReview("mykola-mentor", ReviewStatus.SUBMITTED, (3, 1, 2), Recommendation.DO_NOT_FUND,
                            "The pump is works, not a first action of the plan; the seed library alone would fit."),
                 DemoReview("iryna-expert", ReviewStatus.RECUSED))),
    DemoApplication(
        "Stone Bridge Youth Hub", ScholarshipStatus.DRAFT, None,
        "A youth space open every weekday: a sofa, a projector and board games, chosen by the young people."),
)


def add_demo_call(communities: dict, people: dict | None = None) -> None:
    people = people or {}
    green = communities.get("Green Quarter Initiative")
    if green is None:
        return
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == green.id))
    if enrolment is None:
        return
    programme = db.session.get(Programme, enrolment.programme_id)
    stage = db.session.scalar(select(Stage).where(Stage.programme_id == programme.id,
                                                  Stage.stage_type == "accelerator")) or db.session.get(
        Stage, enrolment.current_stage_id)
    if stage is None:
        return
    call = db.session.scalar(select(ScholarshipCall).where(ScholarshipCall.programme_id == programme.id,
                                                           ScholarshipCall.title == TITLE))
    if call is None:
        call = _open_call(programme, stage)
    criteria = _rubric(call)
    _report_questions(call, (programme.languages or ["en"])[0])
    questions = [question for question in call.questionnaire.questions]
    for planned in APPLICATIONS:
        community = communities.get(planned.community)
        if community is not None:
            _application(call, community, planned, questions, criteria, people)
    db.session.flush()


CIVIC_TITLE = "Change map grants 2027"


def add_civic_call(communities: dict, people: dict | None = None) -> None:
    """The civic course stage's call: Night Bakers Collective approved for its adopted change map, half paid, the
    other half released when every action of the map's first milestone is done (chosen by the operator)."""
    bakers = communities.get("Night Bakers Collective")
    if bakers is None:
        return
    stage = db.session.scalar(select(Stage).join(Enrolment, Enrolment.programme_id == Stage.programme_id)
                              .where(Enrolment.tenant_id == bakers.id, Stage.stage_type == "civic_course"))
    if stage is None or db.session.scalar(select(ScholarshipCall.id).where(ScholarshipCall.title == CIVIC_TITLE)):
        return
    programme = db.session.get(Programme, stage.programme_id)
    operator = (people or {}).get("olena-operator")
    language = (programme.languages or ["en"])[0]
    questionnaire = questionnaires.create(programme.organisation_id)
    for fields in (
        QuestionFields(label="Which change map does the scholarship carry out?", help_text="",
                       kind=QuestionKind.ARTEFACT, required=True, language=language,
                       artefact_kind="civic_course.change_map"),
        QuestionFields(label="What will be different in the district when it is done?", help_text="",
                       kind=QuestionKind.LONG_TEXT, required=True, language=language),
    ):
        questionnaires.add_question(questionnaire, fields, expected_count=None)
    call = ScholarshipCall(
        organisation_id=programme.organisation_id, programme_id=programme.id, stage_id=stage.id, title=CIVIC_TITLE,
        purpose="For communities with an adopted change map: to carry out the actions of its plan.",
        budget_minor=20_000_000, budget_currency="UAH", max_per_community_minor=4_000_000,
        opens_on=today() - timedelta(days=20), closes_on=today() + timedelta(days=10),
        questionnaire_id=questionnaire.id,
        tranche_plan=[{"share": 50, "condition": "on_approval"}, {"share": 50, "condition": "milestone_done"}])
    db.session.add(call)
    db.session.flush()
    questions = call.questionnaire.questions
    with tenancy.scope(tenant_id=bakers.id):
        # The adopted map (the one whose plan the programme reads), linked as the community would link it.
        adopted = db.session.scalar(select(ActionPlan.owner_id).where(
            ActionPlan.tenant_id == bakers.id, ActionPlan.programme_id == programme.id))
        linked = {str(question.id): {"kind": question.artefact_kind, "id": map_id, "title": title}
                  for question in questions if question.kind == QuestionKind.ARTEFACT
                  for map_id, title in artefacts.options(question.artefact_kind, bakers.id) if map_id == adopted}
        application = ScholarshipApplication(
            tenant_id=bakers.id, organisation_id=call.organisation_id, call_id=call.id,
            status=ScholarshipStatus.APPROVED, requested_minor=3_000_000, requested_currency="UAH",
            approved_minor=3_000_000, questions_version=call.questionnaire.version,
            answers={str(questions[1].id): "Bread at the tram depot from four in the morning, for the night shifts.",
                     **linked},
            submitted_at=now() - timedelta(days=9), determined_at=now() - timedelta(days=3),
            determination_message="Approved in full: the counter is the map's first step.",
            determined_by_id=operator.id if operator else None)
        db.session.add(application)
        db.session.flush()
        first, second = tranches.create_schedule(application, application.approved_minor, call.tranche_plan,
                                                 call.budget_currency)
        db.session.flush()
        first.released_at = application.determined_at
        first.paid_on, first.payment_reference = today() - timedelta(days=1), "NBC-2027-001"
        first.recorded_at, first.recorded_by_id = now() - timedelta(days=1), operator.id if operator else None
        # The map's first milestone ("Signatures and a meeting"): its last open action releases the second half.
        milestones = tranches.milestones_of(application)
        if milestones:
            second.milestone_id = milestones[0][0]
    db.session.flush()


def _open_call(programme: Programme, stage: Stage) -> ScholarshipCall:
    questionnaire = questionnaires.create(programme.organisation_id)
    language = (programme.languages or ["en"])[0]
    asked = [
        QuestionFields(label="What will the scholarship change for your community?", help_text="",
                       kind=QuestionKind.LONG_TEXT, required=True, language=language),
        QuestionFields(label="Which operational plan does it carry out?", help_text="", kind=QuestionKind.ARTEFACT,
                       required=False, language=language, artefact_kind="accelerator.operational_plan"),
        QuestionFields(label="Budget", help_text="One line per item.", kind=QuestionKind.BUDGET, required=True,
                       language=language, currency="UAH"),
    ]
    for fields in asked:
        questionnaires.add_question(questionnaire, fields, expected_count=None)
    call = ScholarshipCall(
        organisation_id=programme.organisation_id, programme_id=programme.id, stage_id=stage.id, title=TITLE,
        purpose=("Small grants for communities that have adopted their strategic goals and whose operational plan "
                 "is approved: to carry out the first actions of the plan."),
        budget_minor=40_000_000, budget_currency="UAH", max_per_community_minor=8_000_000,
        opens_on=today() - timedelta(days=7), closes_on=today() + timedelta(days=21),
        # Green Quarter Initiative's progress report is due soon; the final one after the summer.
        progress_report_due=today() + timedelta(days=12), final_report_due=today() + timedelta(days=180),
        questionnaire_id=questionnaire.id,
        tranche_plan=[{"share": 60, "condition": "on_approval"}, {"share": 40, "condition": "progress_report_approved"}])
    db.session.add(call)
    db.session.flush()
    return call


def _report_questions(call: ScholarshipCall, language: str) -> None:
    """What the funded communities answer in their reports (asked once: a second run finds them)."""
    if call.report_questionnaire_id is not None:
        return
    questionnaire = reports.report_questionnaire(call)
    for fields in (
        QuestionFields(label="What has the community done with the scholarship so far?", help_text="",
                       kind=QuestionKind.LONG_TEXT, required=True, language=language),
        QuestionFields(label="How much of the scholarship has been spent?", help_text="",
                       kind=QuestionKind.MONEY, required=True, language=language, currency="UAH"),
    ):
        questionnaires.add_question(questionnaire, fields, expected_count=None)


def _rubric(call: ScholarshipCall) -> list[Criterion]:
    present = db.session.scalars(select(Criterion).where(Criterion.call_id == call.id)
                                 .order_by(Criterion.position)).all()
    if present:
        return list(present)
    criteria = [Criterion(call_id=call.id, position=position, title=title, weight=weight, guidance=list(guidance))
                for position, (title, weight, guidance) in enumerate(RUBRIC)]
    db.session.add_all(criteria)
    db.session.flush()
    return criteria


def _answers(planned: DemoApplication, questions) -> dict:
    answers = {str(questions[0].id): planned.change} if questions else {}
    if planned.budget and len(questions) > 2:
        answers[str(questions[2].id)] = {
            "currency": "UAH", "total_minor": sum(amount for _item, amount in planned.budget),
            "rows": [{"item": item, "amount_minor": amount} for item, amount in planned.budget]}
    return answers


def _application(call: ScholarshipCall, community, planned: DemoApplication, questions, criteria, people) -> None:
    with tenancy.scope(tenant_id=community.id):
        if db.session.scalar(select(ScholarshipApplication.id).where(
                ScholarshipApplication.tenant_id == community.id, ScholarshipApplication.call_id == call.id)):
            return
        days = (lambda count: now() - timedelta(days=count) if count is not None else None)
        operator = people.get("olena-operator")
        determined = planned.determined_days_ago is not None
        application = ScholarshipApplication(
            tenant_id=community.id, organisation_id=call.organisation_id, call_id=call.id, status=planned.status,
            requested_minor=planned.requested_minor, requested_currency="UAH" if planned.requested_minor else None,
            answers=_answers(planned, questions), questions_version=call.questionnaire.version,
            submitted_at=days(planned.submitted_days_ago), approved_minor=planned.approved_minor,
            determination_message=planned.message, determined_at=days(planned.determined_days_ago),
            determined_by_id=operator.id if determined and operator else None)
        db.session.add(application)
        db.session.flush()
        for position, planned_review in enumerate(planned.reviews):
            reviewer = people.get(planned_review.reviewer)
            if reviewer is not None:
                _review(call, application, planned_review, reviewer, criteria, position)
        if planned.status == ScholarshipStatus.APPROVED:
            # Paid in two tranches; the first is paid, the second waits for the progress report.
            first, _second = tranches.create_schedule(application, application.approved_minor, call.tranche_plan,
                                                      call.budget_currency)
            db.session.flush()
            first.released_at = application.determined_at
            first.paid_on, first.payment_reference = today() - timedelta(days=2), "GQI-2027-001"
            first.recorded_at = now() - timedelta(days=2)
            first.recorded_by_id = operator.id if operator else None
        db.session.flush()


def _review(call, application, planned: DemoReview, reviewer, criteria, position: int) -> None:
    assigned = application.submitted_at + timedelta(hours=20 + position)
    declared = assigned + timedelta(hours=3) if planned.status != ReviewStatus.ASSIGNED else None
    review = Review(organisation_id=call.organisation_id, call_id=call.id, application_id=application.id,
                    reviewer_id=reviewer.id, status=planned.status, created_at=assigned, declared_at=declared)
    if planned.status == ReviewStatus.SUBMITTED:
        review.scores = {str(criterion.id): {"score": score, "comment": ""}
                         for criterion, score in zip(criteria, planned.scores)}
        review.weighted_total = weighted_total(review.scores, criteria)
        review.recommendation, review.comment = planned.recommendation, planned.comment
        review.submitted_at = declared + timedelta(hours=5)
    db.session.add(review)
