"""The demo's scholarship call: the accelerator stage's call, with Green Quarter Initiative's application approved,
its first tranche paid and the progress report due."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hromada import tenancy
from hromada.clock import now, today
from hromada.extensions import db
from hromada.modules.communities.models import Enrolment
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.models import QuestionKind
from hromada.modules.questionnaires.operations import QuestionFields
from hromada.modules.scholarships import tranches
from hromada.modules.scholarships.models import ScholarshipApplication, ScholarshipCall, ScholarshipStatus

TITLE = "Accelerator scholarships 2027"


def add_demo_call(communities: dict) -> None:
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
    if stage is None or db.session.scalar(select(ScholarshipCall.id).where(
            ScholarshipCall.programme_id == programme.id, ScholarshipCall.title == TITLE)):
        return
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
    questions = [questionnaires.add_question(questionnaire, fields, expected_count=None) for fields in asked]
    call = ScholarshipCall(
        organisation_id=programme.organisation_id, programme_id=programme.id, stage_id=stage.id, title=TITLE,
        purpose=("Small grants for communities that have adopted their strategic goals and whose operational plan "
                 "is approved: to carry out the first actions of the plan."),
        budget_minor=40_000_000, budget_currency="UAH", max_per_community_minor=8_000_000,
        opens_on=today() - timedelta(days=7), closes_on=today() + timedelta(days=21),
        progress_report_due=today() + timedelta(days=30), final_report_due=today() + timedelta(days=180),
        questionnaire_id=questionnaire.id,
        tranche_plan=[{"share": 60, "condition": "on_approval"}, {"share": 40, "condition": "progress_report_approved"}])
    db.session.add(call)
    db.session.flush()
    with tenancy.scope(tenant_id=green.id):
        application = ScholarshipApplication(
            tenant_id=green.id, organisation_id=call.organisation_id, call_id=call.id,
            requested_minor=6_500_000, requested_currency="UAH",
            answers={
                str(questions[0].id): "Twenty new trees along the school path, planted and watered by neighbours, "
                                      "and a tool shed the whole quarter can borrow from.",
                str(questions[2].id): {"currency": "UAH", "total_minor": 6_500_000, "rows": [
                    {"item": "Saplings (20)", "amount_minor": 4_000_000},
                    {"item": "Tool shed and tools", "amount_minor": 2_500_000}]},
            },
            questions_version=questionnaire.version, submitted_at=now() - timedelta(days=6),
            # Approved for less than asked, paid in two tranches; the first is paid, the progress report is due.
            status=ScholarshipStatus.APPROVED, approved_minor=6_000_000, determined_at=now() - timedelta(days=4),
            determination_message="Approved for UAH 60,000: the tool shed can wait for the second tranche.")
        db.session.add(application)
        db.session.flush()
        first, _second = tranches.create_schedule(application, application.approved_minor, call.tranche_plan, "UAH")
        db.session.flush()
        first.paid_on, first.payment_reference = today() - timedelta(days=2), "GQI-2027-001"
        first.recorded_at = now() - timedelta(days=2)
        db.session.flush()
