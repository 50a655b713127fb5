"""Every hook, shown to change what people see or use when a plugin implements it.

Each test installs a probe: a small plugin made for that test (`@pytest.mark.probe`, see
`probe_plugin` in hromada/testing/fixtures.py) that implements the hook, and only what it
needs besides, importing from `hromada.plugin_api` as a third-party author would. The test
then looks where a person would: a page signed in as the right role, a command's output,
the app refusing to start. The probes tend a fictional community greenhouse. Migration
folders are shown with the example plugin (examples/study_visits), whose migration is real.

`test_every_hook_has_a_test_here` fails when a hook of hromada/hookspecs.py has no test here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import click
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Blueprint, render_template
from flask.cli import with_appcontext
from sqlalchemy import func, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from wtforms import IntegerField

from hromada import create_app, hookspecs, tenancy
from hromada.extensions import db
from hromada.modules.courses.testing import build_course
from hromada.modules.programmes.models import Stage
from hromada.modules.progress.testing import enrolment_of
from hromada.plugin_api import (
    AccessRule,
    ArtefactKind,
    CohortColumn,
    Community,
    ConsultationTopic,
    CourseTemplate,
    DecisionRule,
    DecisionSubject,
    ExportTable,

    EligibilityCondition,
    FrozenText,
    LessonTemplate,
    ModuleTemplate,
    NavItem,
    Outcome,
    Proposal,
    CommunityLink,
    ProgrammeLink,
    ProgressSection,
    Requirement,
    StageSetting,
    StageType,
    current_principal,
    hookimpl,
    job,
    public,
    record_audit,
    requires,
    stage_setting,
    system_scope,
)
from hromada.plugin_api import lazy_gettext as _l
from hromada.plugins import PluginLoadError
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import FIRST_PARTY_PLUGINS, csrf_token


@pytest.fixture
def enabled_plugins(request) -> list[str]:
    """The first-party plugins, and the test's probe when it names one."""
    if request.node.get_closest_marker("probe") is None:
        return list(FIRST_PARTY_PLUGINS)
    return [*FIRST_PARTY_PLUGINS, request.getfixturevalue("probe_plugin")]


class Probe:
    """A plugin made for one test: its methods marked `hookimpl` are its hook implementations."""

    def __init__(self, folder: Path):
        self.folder = folder

    def ship(self, name: str, text: str) -> None:
        """A file of the plugin's package (a template, a catalog's source)."""
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def body(response) -> str:
    return response.get_data(as_text=True)


def programme_path(side) -> str:
    return f"/organisations/{side.organisation.id}/programmes/{side.programme.id}"


def progress_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/programmes/{world.a.programme.id}/progress"


def first_stage(side) -> Stage:
    with tenancy.system_scope():
        return db.session.scalar(select(Stage).where(Stage.programme_id == side.programme.id))


# --- Set-up hooks --------------------------------------------------------------------


class GreenhouseStage(Probe):
    @hookimpl
    def hromada_stage_types(self):
        return [StageType(key="greenhouse", title=_l("Greenhouse"),
                          description=_l("Communities grow seedlings together through the winter."))]


@pytest.mark.probe(plugin=GreenhouseStage)
def test_hromada_stage_types_offer_a_new_stage_on_the_home_page(client):
    page = body(client.get("/"))
    assert "<dt>Greenhouse</dt>" in page
    assert "Communities grow seedlings together through the winter." in page


class GreenhousePage(Probe):
    @hookimpl
    def hromada_blueprints(self):
        bp = Blueprint("probe", __name__, url_prefix="/greenhouse")
        bp.add_url_rule("/", "index", public(lambda: "<p>Tomatoes are sown in March.</p>"))
        return [bp]


@pytest.mark.probe(plugin=GreenhousePage)
def test_hromada_blueprints_serve_a_plugins_page(client):
    response = client.get("/greenhouse/")
    assert response.status_code == 200
    assert "Tomatoes are sown in March." in body(response)


class GreenhouseTemplates(Probe):
    def __init__(self, folder):
        super().__init__(folder)
        self.ship("greenhouse/calendar.html", '{% extends "layout.html" %}'
                  "{% block content %}<h1>Sowing calendar</h1>{% endblock %}")

    @hookimpl
    def hromada_template_folders(self):
        return [str(self.folder)]

    @hookimpl
    def hromada_blueprints(self):
        # No template folder of its own: the page's template is found through the hook.
        bp = Blueprint("probe", __name__, url_prefix="/greenhouse")
        bp.add_url_rule("/calendar", "calendar", public(lambda: render_template("greenhouse/calendar.html")))
        return [bp]


@pytest.mark.probe(plugin=GreenhouseTemplates)
def test_hromada_template_folders_hold_the_templates_a_page_renders(client):
    response = client.get("/greenhouse/calendar")
    assert response.status_code == 200
    assert "<h1>Sowing calendar</h1>" in body(response)
    assert "<nav" in body(response)  # in the platform's layout


class UkrainianGreenhouse(GreenhouseStage):
    def __init__(self, folder):
        super().__init__(folder)
        catalog = Catalog(locale="uk")
        catalog.add("Greenhouse", "Теплиця")
        (folder / "uk" / "LC_MESSAGES").mkdir(parents=True)
        with open(folder / "uk" / "LC_MESSAGES" / "messages.mo", "wb") as compiled:
            write_mo(compiled, catalog)

    @hookimpl
    def hromada_translation_folders(self):
        return [str(self.folder)]


@pytest.mark.probe(plugin=UkrainianGreenhouse)
def test_hromada_translation_folders_translate_a_plugins_text(client):
    assert "<dt>Теплиця</dt>" in body(client.get("/", headers={"Accept-Language": "uk"}))
    assert "<dt>Greenhouse</dt>" in body(client.get("/", headers={"Accept-Language": "en"}))


class ModelOnItsOwnMetadata(Probe):
    @hookimpl
    def hromada_models(self):
        class OwnBase(DeclarativeBase):
            pass

        class Seedling(OwnBase):
            __tablename__ = "seedlings"
            id: Mapped[int] = mapped_column(primary_key=True)

        return [Seedling]


@pytest.mark.probe(plugin=ModelOnItsOwnMetadata)
def test_hromada_models_a_model_outside_hromadas_db_stops_the_app(app_config, monkeypatch, tmp_path):
    # What listing a model changes that anyone notices: the app checks that it is declared on
    # hromada's `db` (whose tables the migrations check) and refuses to start otherwise. A model
    # that the plugin's own pages import works on them whether it is listed or not.
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path / "instance"))
    with pytest.raises(PluginLoadError, match="Model Seedling is not declared on hromada.extensions.db"):
        create_app(app_config)


def test_hromada_migration_folders_add_a_plugins_branch_to_the_database(tmp_path):
    # The example plugin, installed in the test environment: its branch is there, enabled or not.
    # The command in a process of its own, as a deployer runs it (Alembic prints past click's runner).
    environment = {**os.environ, "HROMADA_INSTANCE_PATH": str(tmp_path), "HROMADA_PLUGINS": "incubator",
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'hromada.sqlite3'}"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "hromada", "db", "heads"],
                            env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^stv0001 \(study_visits\) \(head\)$", result.stdout, flags=re.MULTILINE), result.stdout


@job("probe.plant_trees")
def plant_trees(organisation_id: int) -> None:
    record_audit("probe.trees_planted", organisation_id=organisation_id)


class TreePlanting(Probe):
    @hookimpl
    def hromada_jobs(self):
        return [plant_trees]


@pytest.mark.probe(plugin=TreePlanting)
def test_hromada_jobs_run_a_plugins_job_whose_row_the_operator_reads(app, world):
    organisation_id = world.a.organisation.id
    handle = app.extensions["hromada.jobs"].enqueue("probe.plant_trees", organisation_id=organisation_id)
    assert handle.status == "finished"
    page = body(signed_in(app, "operator-a").get(f"/organisations/{organisation_id}/audit"))
    assert "<td>probe.trees_planted</td>" in page


class MembersGarden(Probe):
    @hookimpl
    def hromada_access_rules(self):
        return [AccessRule("probe.tend_garden", lambda principal, _target: bool(principal.memberships))]

    @hookimpl
    def hromada_blueprints(self):
        bp = Blueprint("probe", __name__, url_prefix="/garden")
        bp.add_url_rule("/", "index", requires("probe.tend_garden")(lambda: "<p>The watering rota</p>"))
        return [bp]


@pytest.mark.probe(plugin=MembersGarden)
def test_hromada_access_rules_let_members_in_and_keep_staff_out(app, world):
    member = signed_in(app, "member-a").get("/garden/")
    assert member.status_code == 200 and "The watering rota" in body(member)
    assert signed_in(app, "mentor-a").get("/garden/").status_code == 403


class GreenhouseAudit(Probe):
    @hookimpl
    def hromada_audit_labels(self):
        return {"probe.greenhouse_opened": _l("Opened the greenhouse")}


@pytest.mark.probe(plugin=GreenhouseAudit)
def test_hromada_audit_labels_name_a_plugins_entries_on_the_audit_page(app, world):
    with tenancy.scope(organisation_id=world.a.organisation.id):  # its entries come from its own context
        record_audit("probe.greenhouse_opened", organisation_id=world.a.organisation.id, commit=True)
    page = body(signed_in(app, "operator-a").get(f"/organisations/{world.a.organisation.id}/audit"))
    assert "<td>Opened the greenhouse</td>" in page
    assert "probe.greenhouse_opened" not in page


@click.command("greenhouse-count")
@with_appcontext
def count_command():
    """Print how many communities may use the greenhouse."""
    with system_scope():
        click.echo(f"{db.session.scalar(select(func.count()).select_from(Community))} communities")


class GreenhouseCommand(Probe):
    @hookimpl
    def hromada_cli_commands(self):
        return [count_command]


@pytest.mark.probe(plugin=GreenhouseCommand)
def test_hromada_cli_commands_add_a_command(world, runner):
    result = runner.invoke(args=["greenhouse-count"])
    assert result.exit_code == 0, result.output
    assert result.output == "4 communities\n"


class NeedsAGreenhouse(Probe):
    @hookimpl
    def hromada_app_ready(self, app):
        if not app.config.get("PROBE_GREENHOUSE"):
            raise RuntimeError("Set PROBE_GREENHOUSE: the greenhouse plugin needs to know which one.")


@pytest.mark.probe(plugin=NeedsAGreenhouse)
def test_hromada_app_ready_stops_an_app_that_lacks_the_plugins_setting(app_config, monkeypatch, tmp_path):
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path / "instance"))
    with pytest.raises(RuntimeError, match="Set PROBE_GREENHOUSE"):
        create_app(app_config)
    assert create_app({**app_config, "PROBE_GREENHOUSE": "Riverside"}).name == "hromada"


# --- A community's data ---------------------------------------------------------------


class VisitsExport(Probe):
    """Exports the example plugin's table (its migration ran; the plugin itself is not loaded)."""

    @hookimpl
    def hromada_export_tables(self):
        from hromada_study_visits.models import StudyVisit

        return [ExportTable(StudyVisit, leave_out=("report_word_count",))]


@pytest.mark.probe(plugin=VisitsExport)
def test_hromada_export_tables_put_a_plugins_table_in_the_archive(app, world):
    import csv
    import io
    import zipfile
    from datetime import date

    from hromada.modules.factors.testing import give_totp
    from hromada_study_visits.models import StudyVisit

    give_totp(world.a.people["coordinator"].id)  # exporting asks for a recent second factor
    with system_scope():
        db.session.add(StudyVisit(tenant_id=world.a.communities[0].id, host_name="Riverside garden",
                                  visit_on=date(2026, 5, 1), report="We planted beans."))
        db.session.commit()
    response = signed_in(app, "coordinator-a").get(f"/communities/{world.a.communities[0].id}/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    (row,) = csv.DictReader(io.StringIO(archive.read("data/study_visits.csv").decode("utf-8")))
    assert (row["host_name"], row["visit_on"], row["report"]) == ("Riverside garden", "2026-05-01", "We planted beans.")
    assert "report_word_count" not in row and "tenant_id" not in row


class SealedExport(Probe):
    @hookimpl
    def hromada_export_tables(self):
        from hromada.modules.consultations.models import Consultation

        return [ExportTable(Consultation)]


@pytest.mark.probe(plugin=SealedExport)
def test_hromada_export_tables_refuse_to_write_sealed_bytes(app_config, monkeypatch, tmp_path):
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path / "instance"))
    with pytest.raises(RuntimeError, match="binary column 'private_notes'"):
        create_app(app_config)


class KeepsTheCount(Probe):
    """Takes aside, before an erase, what must outlive the community: here, how many proposals it had."""

    seen: list = []

    @hookimpl
    def hromada_community_erasing(self, tenant_id):
        from hromada.modules.decisions.models import Proposal

        KeepsTheCount.seen.append((tenant_id, db.session.scalar(
            select(func.count(Proposal.id)).where(Proposal.tenant_id == tenant_id))))


@pytest.mark.probe(plugin=KeepsTheCount)
def test_hromada_community_erasing_runs_before_the_rows_go(app, world, runner):
    from hromada.clock import now
    from hromada.modules.decisions.testing import make_proposal
    from hromada.modules.erasure.models import EraseRequest
    from hromada.modules.erasure.testing import ask_as_system

    community_id = world.a.communities[0].id
    make_proposal(community_id, world.a.people["coordinator"])
    request = ask_as_system(community_id, world.a.people["coordinator"].id, "token")
    with system_scope():
        confirmed = now() - timedelta(days=8)
        db.session.execute(update(EraseRequest).where(EraseRequest.id == request.id).values(
            confirmed_at=confirmed, erase_after=confirmed + timedelta(days=7)))
        db.session.commit()
    KeepsTheCount.seen.clear()
    assert "Erase jobs for 1 communities" in runner.invoke(args=["erasure", "tick"]).output
    assert KeepsTheCount.seen == [(community_id, 1)]


class CountsMilestones(Probe):
    """Hears when a milestone of an action plan is done."""

    seen: list = []

    @hookimpl
    def hromada_milestone_done(self, tenant_id, milestone_id):
        CountsMilestones.seen.append((tenant_id, milestone_id))


@pytest.mark.probe(plugin=CountsMilestones)
def test_hromada_milestone_done_is_called_when_the_last_open_action_is_done(app, world):
    from hromada.modules.action_plans import operations as plans
    from hromada.modules.action_plans.models import Action, ActionPlan, ActionStatus, Milestone

    community_id = world.a.communities[0].id
    CountsMilestones.seen.clear()
    with tenancy.scope(tenant_id=community_id):
        plan = plans.create_plan(community_id, "probe", 1, "Plan")
        milestone = plans.add_milestone(plan, title="Garden ready")
        first = plans.add_action(milestone, title="Dig the beds")
        plans.add_action(milestone, title="Buy seeds", status=ActionStatus.DROPPED)
        second = plans.add_action(milestone, title="Plant")
        db.session.commit()
        ids = (plan.id, milestone.id, first.id, second.id)

    def mark_done(action_id):
        with tenancy.scope(tenant_id=community_id):
            action = db.session.get(Action, action_id)
            plans.save_action(db.session.get(ActionPlan, ids[0]), db.session.get(Milestone, ids[1]), action,
                              title=action.title, owner_id=None, role="", starts_on=None, due_on=None,
                              status=ActionStatus.DONE, result="", evidence="")
            db.session.commit()

    mark_done(ids[2])
    assert CountsMilestones.seen == []  # "Plant" is still open
    mark_done(ids[3])
    assert CountsMilestones.seen == [(community_id, ids[1])]  # the dropped action does not hold it back


# --- Programmes ----------------------------------------------------------------------


class CompostRequirement(Probe):
    @hookimpl
    def hromada_stage_requirements(self, stage):
        def evaluate(stage, enrolments):
            return {enrolment.id: Outcome(False, _l("no compost heap yet")) for enrolment in enrolments}

        return [Requirement("probe.compost", _l("A compost heap is built"), evaluate)]


@pytest.mark.probe(plugin=CompostRequirement)
def test_hromada_stage_requirements_show_an_open_requirement_and_its_reason(app, world):
    page = body(signed_in(app, "coordinator-a").get(progress_path(world)))
    assert re.search(r"<strong>Open:</strong> A compost heap is built\s*<span class=\"muted\">— no compost heap yet",
                     page), page


class WateringSetting(Probe):
    @hookimpl
    def hromada_stage_settings_fields(self, stage_type):
        if not any(activity.kind == "networking" for activity in stage_type.activities):
            return []
        return [StageSetting("probe_watering_days", IntegerField(_l("Watering days each week"), default=3))]


@pytest.mark.probe(plugin=WateringSetting)
def test_hromada_stage_settings_fields_add_a_field_with_its_default(app, world):
    stage = first_stage(world.a)  # an incubator stage, which offers networking, saved without this setting
    page = body(signed_in(app, "operator-a").get(f"{programme_path(world.a)}/stages/{stage.id}"))
    assert "Watering days each week" in page
    assert re.search(r'<input[^>]*name="settings-probe_watering_days"[^>]*value="3"', page), page
    assert stage_setting(stage, "probe_watering_days") == 3


class SeedlingsCourse(Probe):
    @hookimpl
    def hromada_course_templates(self):
        lesson = LessonTemplate(_l("Soil and seeds"), _l("Fill the trays with soil, then sow two seeds in each."))
        return [CourseTemplate(key="probe.seedlings", stage_type="incubator", title=_l("Growing seedlings"),
                               description=_l("From seed to plant."),
                               modules=(ModuleTemplate(_l("Sowing"), (lesson,)),))]


@pytest.mark.probe(plugin=SeedlingsCourse)
def test_hromada_course_templates_offer_a_course_the_operator_adds(app, world):
    operator = signed_in(app, "operator-a")
    assert "Growing seedlings" in body(operator.get(f"{programme_path(world.a)}/courses"))
    stage = first_stage(world.a)
    response = operator.post(f"{programme_path(world.a)}/stages/{stage.id}/courses/from-template", data={
        "csrf_token": csrf_token(operator), f"stage-{stage.id}-template_key": "probe.seedlings"})
    assert response.status_code == 302
    course = body(operator.get(response.headers["Location"]))
    assert "<h3>Sowing" in course and "Soil and seeds" in course


class WateringTopic(Probe):
    @hookimpl
    def hromada_consultation_topics(self):
        return [ConsultationTopic("probe.watering", "incubator", _l("Watering schedules"))]


@pytest.mark.probe(plugin=WateringTopic)
def test_hromada_consultation_topics_offer_a_topic_to_the_coordinator(app, world):
    page = body(signed_in(app, "coordinator-a").get(f"/communities/{world.a.communities[0].id}/consultations/request"))
    assert "Watering schedules" in page


class SeedlingsSection(Probe):
    def __init__(self, folder):
        super().__init__(folder)
        self.ship("greenhouse/_progress.html", "<p>{{ trays }} trays of seedlings in enrolment {{ enrolment.id }}.</p>")

    @hookimpl
    def hromada_template_folders(self):
        return [str(self.folder)]

    @hookimpl
    def hromada_progress_sections(self, enrolment, stage, viewer):
        return [ProgressSection("probe.seedlings", _l("Seedlings"), "greenhouse/_progress.html", {"trays": 12})]


@pytest.mark.probe(plugin=SeedlingsSection)
def test_hromada_progress_sections_add_a_block_to_the_progress_page(app, world):
    enrolment = enrolment_of(world.a.communities[0].id, world.a.programme.id)
    page = body(signed_in(app, "coordinator-a").get(progress_path(world)))
    assert '<h2 id="section-probe-seedlings">Seedlings</h2>' in page
    assert f"<p>12 trays of seedlings in enrolment {enrolment.id}.</p>" in page


class BedColumn(Probe):
    @hookimpl
    def hromada_cohort_columns(self, programme, enrolments):
        return [CohortColumn("probe.bed", _l("Greenhouse bed"), {e.id: f"bed {e.tenant_id}" for e in enrolments})]


@pytest.mark.probe(plugin=BedColumn)
def test_hromada_cohort_columns_add_a_column_with_each_communitys_value(app, world):
    page = body(signed_in(app, "operator-a").get(f"{programme_path(world.a)}/cohort"))
    table = page.split('<table class="cohort"', 1)[1]
    assert "Greenhouse bed" in table.split("</thead>", 1)[0]
    (a1_row,) = [row for row in re.findall(r"<tr.*?</tr>", table, flags=re.S) if "secret-a1" in row]
    assert f"<td>bed {world.a.communities[0].id}</td>" in a1_row


class ActivityLog(Probe):
    @hookimpl
    def hromada_community_acted(self, tenant_id, when):
        record_audit("probe.community_acted", community_id=tenant_id)


@pytest.mark.probe(plugin=ActivityLog)
def test_hromada_community_acted_hears_a_member_finishing_a_lesson(app, world):
    a1 = world.a.communities[0].id
    with tenancy.system_scope():
        course = build_course(world.a)
        course_id, lesson_id = course.id, course.modules[0].lessons[0].id
        db.session.commit()
    member = signed_in(app, "member-a")
    done = member.post(f"/communities/{a1}/courses/{course_id}/lessons/{lesson_id}/done",
                       data={"csrf_token": csrf_token(member)})
    assert done.status_code == 302
    page = body(signed_in(app, "platform-admin").get("/admin/audit"))
    assert re.search(rf"<td>probe.community_acted</td>\s*<td>{a1}</td>", page), page


# --- Decisions -----------------------------------------------------------------------


class PlantingPlan(Probe):
    """The greenhouse's planting plan: one object per community, at version 7, adopted by decision."""

    adopted: list = []

    @hookimpl
    def hromada_decision_subjects(self):
        def freeze(subject_id):
            return FrozenText("Planting plan", "Tomatoes in bed 3, basil beside them.", "v7") if subject_id == 1 else None

        def decided(subject_id, version, passed):
            record_audit(f"probe.plan_{version}_{'adopted' if passed else 'rejected'}")

        return [DecisionSubject("probe.plan", _l("Planting plan"), freeze=freeze, decided=decided)]


@pytest.mark.probe(plugin=PlantingPlan)
def test_hromada_decision_subjects_let_members_decide_on_a_plugins_object(app, world):
    a1 = world.a.communities[0].id
    coordinator = signed_in(app, "coordinator-a")
    form = body(coordinator.get(f"/communities/{a1}/decisions/new?subject=probe.plan&subject_id=1"))
    assert "Tomatoes in bed 3, basil beside them." in form
    assert coordinator.get(f"/communities/{a1}/decisions/new?subject=probe.plan&subject_id=2").status_code == 404
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]{64})"', form).group(1)
    opened = coordinator.post(f"/communities/{a1}/decisions/new?subject=probe.plan&subject_id=1", data={
        "csrf_token": csrf_token(coordinator), "title": "Adopt the planting plan", "method": "consent", "days": "7",
        "threshold_percent": "50", "seen": seen})
    assert opened.status_code == 302, body(opened)
    with tenancy.system_scope():
        proposal = db.session.scalars(select(Proposal).where(Proposal.tenant_id == a1)).one()
        assert (proposal.subject_version, proposal.text) == ("v7", "Tomatoes in bed 3, basil beside them.")
        proposal.opened_at = proposal.opened_at - timedelta(days=8)
        proposal.closes_at = proposal.closes_at - timedelta(days=8)  # its closing time has passed
        db.session.commit()
    page = body(coordinator.get(opened.headers["Location"]))
    assert "Passed" in page
    audit = body(signed_in(app, "platform-admin").get("/admin/audit"))
    assert "<td>probe.plan_v7_adopted</td>" in audit


class VoteRule(Probe):
    @hookimpl
    def hromada_decision_rule(self, community_id):
        return DecisionRule(method="vote", quorum_percent=60, days=14, threshold_percent=67)


@pytest.mark.probe(plugin=VoteRule)
def test_hromada_decision_rule_sets_the_defaults_of_a_new_proposal(app, world):
    form = body(signed_in(app, "member-a").get(f"/communities/{world.a.communities[0].id}/decisions/new"))
    assert '<option selected value="vote">Majority vote</option>' in form
    assert re.search(r'<input [^>]*name="days"[^>]* value="14"', form)
    assert re.search(r'<input [^>]*name="quorum_percent"[^>]* value="60"', form)
    assert '<option selected value="67">Two thirds</option>' in form


# --- Questionnaires and scholarships --------------------------------------------------


class GreenhouseBeds(Probe):
    @hookimpl
    def hromada_artefact_kinds(self):
        return [ArtefactKind("greenhouse.bed", _l("Greenhouse bed"),
                             lambda community_id: [(community_id, f"Bed of community {community_id}")])]


@pytest.mark.probe(plugin=GreenhouseBeds)
def test_hromada_artefact_kinds_let_a_question_link_to_a_plugins_artefact(app, world):
    from hromada.modules.programmes.testing import add_question
    from hromada.modules.questionnaires.models import QuestionKind

    with system_scope():
        question = add_question(world.b.programme.id, "Which bed?", kind=QuestionKind.ARTEFACT,
                                artefact_kind="greenhouse.bed")
        db.session.get(type(world.b.programme), world.b.programme.id).call_open = True
        db.session.commit()
        name = f"question_{question.id}"
    operator = signed_in(app, "operator-b")
    form = body(operator.get(f"{programme_path(world.b)}/call"))
    assert '<option value="greenhouse.bed">Greenhouse bed</option>' in form
    community_id = world.a.communities[0].id
    page = body(signed_in(app, "coordinator-a").get(f"/communities/{community_id}/calls/{world.b.programme.id}"))
    assert re.search(rf'<select[^>]*name="{name}"', page)
    assert f'<option value="{community_id}">Bed of community {community_id}</option>' in page


class WateredGreenhouse(Probe):
    @hookimpl
    def hromada_scholarship_eligibility(self, call, stage, community_id):
        if stage.stage_type != "incubator":
            return []
        return [EligibilityCondition("greenhouse.watered", _l("The greenhouse is watered"), False,
                                     _l("Nobody has watered it this week."))]


@pytest.mark.probe(plugin=WateredGreenhouse)
def test_hromada_scholarship_eligibility_shows_a_condition_and_holds_the_application_back(app, world):
    from hromada.modules.scholarships.testing import make_call

    with system_scope():
        call_id = make_call(db.session.get(type(world.a.programme), world.a.programme.id)).id
        db.session.commit()
    page = body(signed_in(app, "coordinator-a").get(f"/communities/{world.a.communities[0].id}/scholarships/{call_id}"))
    assert "Not met:</strong> The greenhouse is watered" in page and "Nobody has watered it this week." in page
    assert 'value="submit" disabled' in page


# --- The demo --------------------------------------------------------------------------


class DemoGreenhouse(Probe):
    @hookimpl
    def hromada_demo_data(self, communities, people):
        record_audit("probe.demo_greenhouse", community_id=communities["Green Quarter Initiative"].id,
                     actor=people["zhuravel"])


@pytest.mark.probe(plugin=DemoGreenhouse)
def test_hromada_demo_data_puts_a_plugins_rows_in_the_demo(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    page = body(signed_in(app, "admin", "demo-password-2027").get("/admin/audit"))
    assert "<td>probe.demo_greenhouse</td>" in page


class ScaleGreenhouse(Probe):
    @hookimpl
    def hromada_scale_data(self, scale):
        # One greenhouse per community the generator enrolled, and the showcase's for the benchmark.
        scale.ids["greenhouse_id"] = 1000 + len(scale.communities)
        scale.ids["showcase_greenhouse_id"] = scale.showcase.tenant_id
        assert scale.showcase in scale.communities and all(c.member_ids for c in scale.communities)


@pytest.mark.probe(plugin=ScaleGreenhouse)
def test_hromada_scale_data_adds_a_plugins_rows_to_the_generated_data(app, runner):
    result = runner.invoke(args=["demo", "--scale", "12"])
    assert result.exit_code == 0, result.output
    objects = dict(pair.split("=") for pair in re.search(r"Objects: (.*)", result.output).group(1).split(", "))
    assert int(objects["greenhouse_id"]) > 1012 and objects["showcase_greenhouse_id"] == objects["community_id"]


# --- Requests ------------------------------------------------------------------------


class GreenhouseLinks(Probe):
    @hookimpl
    def hromada_programme_links(self, programme):
        return [ProgrammeLink(_l("Greenhouse plots"), "progress.cohort", "progress.view_cohort", order=5),
                ProgrammeLink(_l("Greenhouse keys"), "progress.cohort", "platform.administer", order=6)]


@pytest.mark.probe(plugin=GreenhouseLinks)
def test_hromada_programme_links_add_the_links_the_operator_may_follow(app, world):
    page = body(signed_in(app, "operator-a").get(programme_path(world.a)))
    assert f'<a href="{programme_path(world.a)}/cohort">Greenhouse plots</a>' in page
    assert "Greenhouse keys" not in page  # the operator may not administer the platform


class GreenhouseDiary(Probe):
    @hookimpl
    def hromada_community_links(self, community_id):
        return [CommunityLink(_l("Greenhouse diary"), "consultations.index", order=5)]


@pytest.mark.probe(plugin=GreenhouseDiary)
def test_hromada_community_links_add_the_links_the_person_may_follow(app, world):
    path = f"/communities/{world.a.communities[0].id}"
    link = f'<a href="{path}/consultations">Greenhouse diary</a>'
    assert link in body(signed_in(app, "coordinator-a").get(path))
    assert link not in body(signed_in(app, "member-a").get(path))  # the page's own rule: coordinators and staff


class MembersNavigation(Probe):
    @hookimpl
    def hromada_navigation(self, user):
        if user is not None and user.is_authenticated and current_principal().memberships:
            return [NavItem(label=_l("Greenhouse"), endpoint="home.index", order=5)]
        return []


@pytest.mark.probe(plugin=MembersNavigation)
def test_hromada_navigation_adds_an_entry_for_members(app, world, client):
    entry = '<li><a href="/" aria-current="page">Greenhouse</a></li>'
    assert entry not in body(client.get("/"))
    assert entry in body(signed_in(app, "member-a").get("/"))
    assert entry not in body(signed_in(app, "operator-a").get("/"))


# --- Tests ---------------------------------------------------------------------------


class GreenhouseBeds(Probe):
    @hookimpl
    def hromada_isolation_arguments(self, world, arguments):
        arguments["foreign"]["bed_id"] = world.b.communities[0].id
        arguments["unreachable"]["bed_id"] = world.a.communities[1].id


@pytest.mark.probe(plugin=GreenhouseBeds)
def test_hromada_isolation_arguments_give_the_matrix_a_plugins_ids(app, world):
    arguments = {"foreign": {}, "unreachable": {}}
    app.extensions["hromada.plugins"].hook.hromada_isolation_arguments(world=world, arguments=arguments)
    assert arguments["foreign"]["bed_id"] == world.b.communities[0].id
    assert arguments["unreachable"]["bed_id"] == world.a.communities[1].id
    assert "enrolment_id" in arguments["foreign"]  # beside the core modules' own


# --- Every hook has its test -----------------------------------------------------------


def test_every_hook_has_a_test_here():
    hooks = sorted(name for name, value in vars(hookspecs).items() if hasattr(value, "hromada_spec"))
    assert len(hooks) >= 21
    tests = [name for name, value in globals().items() if name.startswith("test_") and callable(value)]
    missing = [hook for hook in hooks if not any(test.startswith(f"test_{hook}_") for test in tests)]
    assert not missing, f"tests/test_hooks.py needs a test_<hook>_... for {missing}"
