"""Every hook a Hromada plugin can implement.

Hooks are grouped by when they are called. Set-up hooks are called once while
`create_app` builds the app; request hooks on each request that needs them.
Hooks are always called with keyword arguments, so a spec can gain a parameter
without breaking the plugins that do not take it. Each hook that collects
contributions returns a list; the core flattens the lists of all plugins.

docs/plugins.md documents each hook with its signature and an example; a test
fails when a hook here is missing there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import pluggy

if TYPE_CHECKING:
    from datetime import datetime

    import click
    from flask import Blueprint, Flask

    from hromada.contributions import (
        AccessRule,
        ArtefactKind,
        CohortColumn,
        CommunityLink,
        ConsultationTopic,
        CourseTemplate,
        DecisionRule,
        DecisionSubject,
        ExportTable,
        EligibilityCondition,
        NavItem,
        ProgrammeLink,
        ProgressSection,
        Requirement,
        StageSetting,
        StageType,
    )

hookspec = pluggy.HookspecMarker("hromada")
hookimpl = pluggy.HookimplMarker("hromada")


# --- Set-up: what a plugin contributes to the app -------------------------


@hookspec
def hromada_stage_types() -> list[StageType]:
    """Stage types this plugin contributes.

    Receives nothing. Returns a list of `hromada.contributions.StageType`, each
    with a unique `key` (such as ``"incubator"``), a translatable title and
    description. An operator builds programmes out of these stage types.
    """


@hookspec
def hromada_blueprints() -> list[Blueprint]:
    """Flask blueprints with the plugin's pages.

    Receives nothing. Returns a list of `flask.Blueprint`. A blueprint's own
    `template_folder` is searched for its templates; keep them under
    ``templates/<blueprint name>/`` so they never collide with another plugin's.
    """


@hookspec
def hromada_template_folders() -> list[str]:
    """Extra template folders searched after the core's own.

    Receives nothing. Returns a list of absolute paths. Use it for templates
    that are not tied to one blueprint, such as macros other plugins may import.
    """


@hookspec
def hromada_translation_folders() -> list[str]:
    """Folders with the plugin's compiled gettext catalogs.

    Receives nothing. Returns a list of absolute paths, each laid out as
    ``<folder>/<locale>/LC_MESSAGES/messages.mo``. Their messages are merged
    with the core's, so a plugin translates its own strings.
    """


@hookspec
def hromada_models() -> list[type]:
    """SQLAlchemy models the plugin defines on `hromada.extensions.db`.

    Receives nothing. Returns a list of model classes. Listing them imports
    them, so that the migration check and the tenant-isolation rules see them.
    """


@hookspec
def hromada_migration_folders() -> list[str]:
    """Alembic version folders holding the plugin's migrations.

    Receives nothing. Returns a list of absolute paths. The plugin's first
    revision has ``branch_labels = ("<plugin name>",)`` and depends on the core
    revision it builds on; `flask --app hromada db upgrade heads` applies it.
    Migration folders of every installed plugin are used, whether or not the
    plugin is enabled, so the database never holds a revision Alembic cannot find.
    """


@hookspec
def hromada_jobs() -> list[Callable[..., Any]]:
    """Background jobs the plugin defines.

    Receives nothing. Returns a list of functions decorated with
    `hromada.jobs.job`. Only registered jobs can be enqueued, by their name:
    ``current_app.extensions["hromada.jobs"].enqueue("name", id=1)``.
    """


@hookspec
def hromada_access_rules() -> list[AccessRule]:
    """Permissions the plugin adds to the one policy in `hromada.authz`.

    Receives nothing. Returns a list of `hromada.contributions.AccessRule`,
    each naming an action (prefix it with the plugin's name, as in
    ``"study_visits.view"``) and the check that answers it. Views declare the
    action with `@requires("study_visits.view", community="community_id")`.
    A plugin cannot redefine an action of the core or of another plugin.
    """


@hookspec
def hromada_audit_labels() -> dict[str, Any]:
    """How the audit log names the actions this plugin records.

    Receives nothing. Returns a dict from action (the first argument of
    `record_audit`, such as ``"study_visits.planned"``) to a translatable label
    shown on the audit pages. An action named by two plugins stops the app.
    """


@hookspec
def hromada_cli_commands() -> list[click.Command]:
    """Commands added to `flask --app hromada`.

    Receives nothing. Returns a list of `click.Command` (or groups).
    """


@hookspec
def hromada_app_ready(app: Flask) -> None:
    """Called once when the app is fully built, before it serves anything.

    Receives the Flask `app`. Returns nothing. Use it to read configuration or
    to check that what the plugin needs is there, raising an error otherwise.
    """


# --- Programmes: what stages ask of communities and offer them ------------


@hookspec
def hromada_stage_requirements(stage: Any) -> list[Requirement]:
    """Completion requirements of `stage` that this plugin knows.

    Receives `stage`, a `hromada.modules.programmes.models.Stage` (its
    `stage_type` key and its `settings` dict). Returns a list of
    `hromada.contributions.Requirement`, or an empty list for stages this
    plugin does not concern. A community advances past the stage when every
    requirement of every plugin is met (or an operator overrides, with a reason).
    """


@hookspec
def hromada_stage_settings_fields(stage_type: StageType) -> list[StageSetting]:
    """Settings this plugin adds to the settings form of `stage_type`.

    Receives a `hromada.contributions.StageType`. Returns a list of
    `hromada.contributions.StageSetting` for the stage types whose settings this
    plugin reads (for example those whose `activities` include networking), or an
    empty list. The setting belongs to the plugin that reads it: other plugins
    never name it. Operators edit the fields with the stage type's own ones; a
    stage that has no value for one reads its default.
    """


@hookspec
def hromada_course_templates() -> list[CourseTemplate]:
    """Courses this plugin offers, each for one stage type.

    Receives nothing. Returns a list of `hromada.contributions.CourseTemplate`
    with translatable titles and Markdown content; an operator instantiates a
    template into a stage of a programme.
    """


@hookspec
def hromada_consultation_topics() -> list[ConsultationTopic]:
    """Consultation topics this plugin offers, each for one stage type.

    Receives nothing. Returns a list of `hromada.contributions.ConsultationTopic`.
    Operators may add their own topics per programme besides these.
    """


@hookspec
def hromada_progress_sections(enrolment: Any, stage: Any, viewer: Any) -> list[ProgressSection]:
    """Blocks of a community's progress page.

    Receives the `enrolment` (the community in a programme), its current
    `stage` (or None) and the `viewer` (the signed-in user; the tenancy
    context is already the community's). Returns a list of
    `hromada.contributions.ProgressSection`; show only what this viewer may see.
    """


@hookspec
def hromada_cohort_columns(programme: Any, enrolments: list) -> list[CohortColumn]:
    """Columns of the operator's cohort overview of a programme.

    Receives the `programme` and the `enrolments` whose rows are shown (readable
    in the current context): one page of the cohort, none when only the columns'
    headers are needed, or every matching community when the cohort is sorted
    by a computed column or exported. Returns a list of
    `hromada.contributions.CohortColumn`, each with a value for every enrolment,
    computed with a bounded number of queries.
    """


@hookspec
def hromada_community_acted(tenant_id: int, when: datetime) -> None:
    """Called when a community does something in its programmes.

    Receives the community's id `tenant_id` and the moment `when` (timezone-aware)
    that a member attended a session or an event, finished a lesson, or took part
    in a consultation (`hromada.modules.communities.activity.record_activity`).
    Returns nothing. It runs inside the caller's transaction and tenancy context,
    which may write the rows the community shares with the organisation acting
    for it: write only those, never commit, and keep it to a few queries, since
    it runs on every such action. The progress module marks the community
    started in its current stage.
    """


# --- Decisions a community takes together -------------------------------------


@hookspec
def hromada_decision_subjects() -> list[DecisionSubject]:
    """Kinds of objects a community can decide on, besides a free text.

    Receives nothing. Returns a list of `hromada.contributions.DecisionSubject`:
    how to freeze the object when a proposal about it opens, and what to do when
    the proposal closes (adopt the frozen version, or not).
    """


@hookspec(firstresult=True)
def hromada_decision_rule(community_id: int) -> DecisionRule | None:
    """The rule "how we decide" a community has adopted, if any.

    Receives the community's id (the tenancy context is that community's).
    Returns a `hromada.contributions.DecisionRule`, or None when this plugin
    knows no rule of that community; the first rule returned governs new
    proposals. With none: consent, open for 7 days, no quorum.
    """


# --- A community's data --------------------------------------------------------


@hookspec
def hromada_export_tables() -> list[ExportTable]:
    """The tables this plugin holds of a community, for the community's export.

    Receives nothing. Returns a list of `hromada.contributions.ExportTable`, one
    for each tenant-owned model of the plugin: a coordinator's export writes each
    as a CSV file of the community's rows (as that coordinator may read them),
    described in the archive's Frictionless `datapackage.json`. A model none
    lists fails the tests; one whose rows must not leave (a key) is listed with
    `omitted_because`.
    """


# --- Questionnaires and scholarships --------------------------------------------


@hookspec
def hromada_artefact_kinds() -> list[ArtefactKind]:
    """Kinds of a community's artefacts that a questionnaire's question may link to.

    Receives nothing. Returns a list of `hromada.contributions.ArtefactKind` (an
    operational plan, a change map...), each with a unique `key`; an application then
    links to one of the community's artefacts of that kind.
    """


@hookspec
def hromada_community_erasing(tenant_id: int) -> None:
    """Called by a community's erase, before any of its rows is deleted.

    Receives the community's id `tenant_id`. Returns nothing. It runs in the erase
    job's transaction as system work (`tenancy.system_scope()`); every row with
    this `tenant_id` is deleted right after, in every table. Use it for what must
    outlive the community elsewhere, without its name or its people (an
    operator's payment records, say): copy it into a table of your own that has
    no `tenant_id`. Never commit.
    """


@hookspec
def hromada_milestone_done(tenant_id: int, milestone_id: int) -> None:
    """Called when the last open action of a milestone of a community's action plan is marked done.

    Receives the community's id `tenant_id` and the milestone's id `milestone_id`. Returns nothing.
    It runs in the transaction of the change that completed the milestone, in that community's
    tenancy context, so what a plugin does here is saved with it or not at all (a scholarship's
    tranche waiting for the milestone is released so). Never commit.
    """


@hookspec
def hromada_scholarship_eligibility(call: Any, stage: Any, community_id: int) -> list[EligibilityCondition]:
    """The conditions a community must meet to apply to a scholarship `call`, each met or not.

    Receives the `call` (`hromada.modules.scholarships.models.ScholarshipCall`), its
    `stage` (`hromada.modules.programmes.models.Stage`: answer only for the stage types
    this plugin knows) and the applying community's id (the tenancy context is that
    community's). Returns a list of `hromada.contributions.EligibilityCondition`, or an
    empty list. A community submits only while every condition of every plugin is met.
    """


# --- The demo ------------------------------------------------------------------


@hookspec
def hromada_demo_data(communities: dict[str, Any], people: dict[str, Any]) -> None:
    """Add this plugin's rows to the demo (`flask --app hromada demo`).

    Receives the demo's communities by name and its people (`User`) by handle,
    after the core's demo data exists, in the system's scope. Adds what is
    missing (the command may run twice) with fictional text and dates relative
    to today; flushes, never commits. Returns nothing.
    """


@hookspec
def hromada_scale_data(scale: Any) -> None:
    """Add this plugin's rows to the generated scale data (`flask --app hromada demo --scale N`).

    Receives `scale`, a `hromada.demo.scale.ScaleData`: the seeded `rng` and `now`; the
    `communities` (`ScaleCommunity`: `tenant_id`, `organisation_id`, `programme_id`, the
    `stage_type` it is in now or None once it left, `entered_stage_at`, its `member_ids`,
    coordinators first) and the `showcase` among them, whose pages the benchmark and the
    query-count tests open; `insert(model, rows)` (bulk INSERT, counted in the report;
    returns the new ids) and `ids`, where to put the id of each object whose page is
    measured (by the name of its URL argument). Called after the core's parts, in the
    system's scope; never commits. Returns nothing.
    """


# --- Requests ----------------------------------------------------------------


@hookspec
def hromada_programme_links(programme: Any) -> list[ProgrammeLink]:
    """Links on an operator's programme page to the pages a module adds for it.

    Receives the `programme`. Returns `hromada.contributions.ProgrammeLink`
    items; the programme page shows each one the person's access rule allows,
    in the order of `order`.
    """


@hookspec
def hromada_community_links(community_id: int) -> list[CommunityLink]:
    """Links on a community's page to the pages a module adds for the community.

    Receives the `community_id`. Returns `hromada.contributions.CommunityLink`
    items for the pages that belong to where the community is (a stage plugin's
    pages once the community has reached its stage); the community's page shows
    each one the person may open, in the order of `order`.
    """


@hookspec
def hromada_navigation(user: Any) -> list[NavItem]:
    """Entries for the main navigation.

    Receives the current `user` (an anonymous user when nobody is signed in).
    Returns a list of `hromada.contributions.NavItem`; return only what this
    user may open. Entries are shown in the order of their `order` field.
    """


# --- Tests ---------------------------------------------------------------------


@hookspec
def hromada_isolation_arguments(world: Any, arguments: dict[str, dict[str, Any]]) -> None:
    """Objects of this plugin for the isolation matrix, which requests every route as every role.

    Receives the test `world` (`hromada.testing.factories.World`: two
    organisations, side ``a`` and side ``b``, each with a programme, two
    communities and a person in every role) and `arguments`, the URL arguments
    collected so far. Create your objects and add the id of each object a route
    takes: ``arguments["foreign"][name]`` one of side B (nobody of side A may reach
    it) and ``arguments["unreachable"][name]`` one in side A's second community
    (only A's operator reaches it). Put ``secret-b1`` / ``secret-a2`` in their texts:
    a page that shows them to the wrong person fails the matrix. Returns nothing.
    Mark the implementation ``@hookimpl(trylast=True)`` to build on another
    module's objects (they are in `arguments` then). Called by the tests only.
    """
