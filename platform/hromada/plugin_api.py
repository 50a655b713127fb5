"""The one surface a plugin builds on: a plugin imports from here and nowhere else in Hromada.

    from hromada.plugin_api import PackageResources, StageType, hookimpl
    from hromada.plugin_api import lazy_gettext as _l  # escaped on pages, unlike Flask-Babel's

Its tests add `hromada.testing` (fixtures, factories, builders). An import-linter
contract (`[tool.importlinter]` in pyproject.toml, run by `make test`) refuses any
other import of the core by a plugin, so what is here is what the core promises to
keep; docs/plugins.md documents each name.
"""

from __future__ import annotations

from importlib.resources import files

# Hooks, and the values they return.
from hromada.hookspecs import hookimpl
from hromada.contributions import (
    ACTIVITY_KINDS,
    AccessRule,
    Activity,
    ArtefactKind,
    CohortColumn,
    CommunityLink,
    ConsultationTopic,
    CourseTemplate,
    DecisionRule,
    DecisionSubject,
    ExportScope,
    ExportTable,

    EligibilityCondition,
    FrozenText,
    LessonTemplate,
    ModuleTemplate,
    NavItem,
    Outcome,
    ProgrammeLink,
    ProgressSection,
    Requirement,
    StageSetting,
    StageType,
)

# Text shown to people, in their language.
from hromada.i18n import lazy_gettext

# Form fields: WTForms' own, except a single-choice list (the same HTML, written faster).
from hromada.fields import SelectField

# Long lists a page at a time (the core's template `pagination.html` shows the links).
from hromada.paging import Page, bounds as page_bounds, requested_number as requested_page

# Tables: a plugin's models are declared on `db` with one of the tenancy mixins.
from hromada.extensions import db
from hromada.tenancy import MembersOnly, MembershipRow, SharedWithOrganisation, TenantOwned, TenantViolation, system_scope
from hromada.tenancy import scope as tenancy_scope
from hromada.tenancy import set_organisation as act_for_organisation
from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

# Who may do what: views declare `@public` or `@requires(action, ...)`; rules are built from these.
from hromada.authz import (
    ALL_STAFF,
    MEMBER_ROLES,
    Principal,
    can,
    community_rule,
    is_signed_in,
    is_staff,
    organisation_rule,
    public,
    requires,
)
from hromada.authz import principal as current_principal
from hromada.modules.accounts.models import CommunityRole, StaffRole, User

# The core's objects plugins build on (read them; the core's pages change them).
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.progress.standings.model import programmes_taking_part
from hromada.modules.communities.staff import programme_staff
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.programmes.stage_settings import stage_setting
from hromada.modules.programmes.in_view import programme_in_stage, programmes_in_view, reaches_in_stage, stage_reached
from hromada.modules.consultations.access import LEADS as CONSULTATION_LEADS
from hromada.modules.consultations.access import Viewer as ConsultationViewer
from hromada.modules.consultations.models import HELD as CONSULTATION_HELD
from hromada.modules.consultations.models import Consultation, ConsultationStatus

# Decisions a community takes together: a plugin's subjects, and what was decided about them.
from hromada.modules.decisions.models import DecisionMethod, Position, Proposal, Stance
from hromada.modules.decisions.operations import latest_proposals_about
from hromada.modules.decisions.rules import fingerprint as decision_fingerprint

# Action plans: milestones and actions with owners and dates, for a plugin's object, and their progress.
from hromada.modules.action_plans.blueprint import PLAN_PAGE as ACTION_PLAN_PAGE
from hromada.modules.action_plans.models import Action, ActionPlan, ActionStatus, Milestone
from hromada.modules.action_plans.operations import (
    MilestoneProgress,
    PlanProgress,
    PlanRefused,
    add_action,
    add_milestone,
    create_plan,
    members as action_owners,
    plans_progress,
)

# Recording what happened: the audit log, a community's activity, sealed confidential text.
from hromada.modules.audit.log import record as record_audit
from hromada.modules.communities.activity import record_activity
from hromada.modules.confidential.crypto import ConfidentialError, seal, unseal

# Sensitive pages (reading confidential text, exporting or erasing a community): a second factor
# confirmed in the last 10 minutes; put it inside `requires(...)`.
from hromada.modules.factors.recent import requires_recent_factor

# Money: integer minor units with an ISO 4217 currency, read and shown in the person's language.
from hromada.money import Money, MoneyError, MoneyField, format_money, money_composite, parse_money

# Background work.
from hromada.jobs import job

# The time, in UTC as it is stored (pages show it in the reader's language).
from hromada.clock import as_utc
from hromada.clock import now as utc_now
from hromada.clock import today as utc_today
from hromada.times import format_day, format_moment

__all__ = [
    "programme_in_stage",
    "programmes_in_view",
    "programmes_taking_part",
    "reaches_in_stage",
    "Action",
    "ActionStatus",
    "Milestone",
    "add_action",
    "action_owners",
    "PlanRefused",
    "add_milestone",
    "decision_fingerprint",
    "Position",
    "Stance",
    "ACTION_PLAN_PAGE",
    "ActionPlan",
    "MilestoneProgress",
    "PlanProgress",
    "create_plan",
    "plans_progress",
    "Money",
    "MoneyError",
    "MoneyField",
    "format_money",
    "money_composite",
    "parse_money",
    "latest_proposals_about",
    "Proposal",
    "MembersOnly",
    "FrozenText",
    "ExportScope",
    "ExportTable",
    "DecisionSubject",
    "DecisionRule",
    "DecisionMethod",
    "ACTIVITY_KINDS",
    "ArtefactKind",
    "EligibilityCondition",
    "ALL_STAFF",
    "AccessRule",
    "Activity",
    "CONSULTATION_HELD",
    "CONSULTATION_LEADS",
    "CohortColumn",
    "CommunityLink",
    "Community",
    "CommunityRole",
    "ConfidentialError",
    "Consultation",
    "ConsultationStatus",
    "ConsultationTopic",
    "ConsultationViewer",
    "CourseTemplate",
    "Enrolment",
    "LessonTemplate",
    "MEMBER_ROLES",
    "MembershipRow",
    "ModuleTemplate",
    "NavItem",
    "Outcome",
    "PackageResources",
    "Principal",
    "Programme",
    "ProgrammeLink",
    "ProgressSection",
    "Requirement",
    "SharedWithOrganisation",
    "Stage",
    "StageSetting",
    "StageType",
    "StaffRole",
    "TenantOwned",
    "TenantViolation",
    "User",
    "act_for_organisation",
    "as_utc",
    "format_day",
    "format_moment",
    "can",
    "community_rule",
    "current_principal",
    "db",
    "disable_row_level_security",
    "enable_row_level_security",
    "hookimpl",
    "is_signed_in",
    "is_staff",
    "job",
    "lazy_gettext",
    "SelectField",
    "Page",
    "page_bounds",
    "requested_page",
    "organisation_rule",
    "programme_staff",
    "public",
    "record_activity",
    "record_audit",
    "requires",
    "requires_recent_factor",
    "seal",
    "stage_reached",
    "stage_setting",
    "system_scope",
    "tenancy_scope",
    "unseal",
    "utc_now",
    "utc_today",
]


class PackageResources:
    """The folders every plugin package ships, offered as ready hook implementations.

    A plugin module binds the ones it has, so that no plugin repeats this code:

        resources = PackageResources(__package__)
        hromada_translation_folders = resources.hromada_translation_folders
        hromada_migration_folders = resources.hromada_migration_folders
    """

    def __init__(self, package: str):
        self.root = files(package)

    def path(self, *parts: str) -> str:
        return str(self.root.joinpath(*parts))

    @hookimpl
    def hromada_translation_folders(self) -> list[str]:
        return [self.path("translations")]

    @hookimpl
    def hromada_migration_folders(self) -> list[str]:
        return [self.path("migrations", "versions")]

    @hookimpl
    def hromada_template_folders(self) -> list[str]:
        return [self.path("templates")]
