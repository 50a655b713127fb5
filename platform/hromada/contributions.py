"""The value types that plugins return from their hooks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


ACTIVITY_KINDS = (
    "course",
    "lecture",
    "consultation",
    "networking",
    "coordination_meeting",
    "strategic_session",
    "scholarship",
    "deliverable",
    "internship",
    "audit",
)


@dataclass(frozen=True)
class Activity:
    """Something a stage offers or asks of a community; `kind` is one of ACTIVITY_KINDS."""

    kind: str
    title: Any


@dataclass(frozen=True)
class StageType:
    """A kind of programme stage, such as the incubator.

    `title` and `description` are lazy gettext strings, translated when shown.
    `short_title`, also lazy, names the stage where space is short (a table's
    column, a chart's label: "Incubator"); without it the title is shown there.
    `settings_form` is a Flask-WTF form class whose field defaults are the
    stage's default settings; an operator edits them per stage and they are
    stored in `Stage.settings` (a JSON object keyed by field name).
    `activities` lists what the stage offers, for operators and communities.
    """

    key: str
    title: Any
    description: Any
    settings_form: type | None = None
    activities: tuple[Activity, ...] = ()
    short_title: Any = None


@dataclass(frozen=True)
class StageSetting:
    """A setting a module adds to the settings form of the stage types that want it.

    `name` is its key in `Stage.settings`; `field` an unbound WTForms field,
    whose `default=` (given by keyword) is what a stage without the key reads.
    Read it with `hromada.plugin_api.stage_setting(stage, name)`.
    """

    name: str
    field: Any


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation: a label and the endpoint it opens."""

    label: Any
    endpoint: str
    order: int = 100
    values: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class ProgrammeLink:
    """A link on a programme's page to a page a module adds for that programme.

    `endpoint` takes `organisation_id` and `programme_id`; the link is shown only
    to those whom `action` (an access rule checked against the organisation)
    allows.
    """

    label: Any
    endpoint: str
    action: str
    order: int = 100


@dataclass(frozen=True)
class CommunityLink:
    """A link on a community's page to a page a module adds for that community.

    `endpoint` takes `community_id`; the link is shown only to those whom the page's
    own access rule allows, so what a person is offered is what they may open.
    """

    label: Any
    endpoint: str
    order: int = 100


@dataclass(frozen=True)
class AccessRule:
    """A permission a plugin adds to the policy: `check(principal, target_id) -> bool`.

    `principal` is a `hromada.authz.Principal` (who the person is: platform
    admin, staff roles per organisation, community memberships); `target_id`
    is the id named by the view's URL, or None. Deny unless sure.
    """

    action: str
    check: Callable[[Any, int | None], bool]


@dataclass(frozen=True)
class Outcome:
    """Whether one enrolment meets one requirement; `reason` says why not, for people."""

    met: bool
    reason: Any = ""


@dataclass(frozen=True)
class Requirement:
    """A completion requirement of a stage.

    `evaluate(stage, enrolments)` answers for many enrolments at once, with a
    bounded number of queries (never one per enrolment): it returns
    `{enrolment.id: Outcome}` for every enrolment given.
    """

    key: str
    label: Any
    evaluate: Callable[[Any, list], dict[int, Outcome]]


@dataclass(frozen=True)
class LessonTemplate:
    title: Any
    content: Any  # Markdown, translated; rendered as sanitised HTML


@dataclass(frozen=True)
class ModuleTemplate:
    title: Any
    lessons: tuple[LessonTemplate, ...] = ()


@dataclass(frozen=True)
class CourseTemplate:
    """A course a plugin offers for its stage type; an operator instantiates it into a stage."""

    key: str
    stage_type: str
    title: Any
    description: Any
    modules: tuple[ModuleTemplate, ...] = ()
    delivery: str = "online"  # "online", "offline" or "mixed"


@dataclass(frozen=True)
class ConsultationTopic:
    """A topic of consultation offered in a stage type.

    `notes_author_only`: private notes on this topic are readable by their
    author alone, always (psychological support).
    """

    key: str
    stage_type: str
    title: Any
    notes_author_only: bool = False


@dataclass(frozen=True)
class ProgressSection:
    """A block of a community's progress page, contributed by a module or plugin.

    `template` is rendered with `context` plus `enrolment` and `stage`; sections
    appear in the order of `order`. Build `context` with a bounded number of
    queries.
    """

    key: str
    title: Any
    template: str
    context: dict = field(default_factory=dict, hash=False, compare=False)
    order: int = 100


@dataclass(frozen=True)
class CohortColumn:
    """A column of the operator's cohort overview: a value per enrolment.

    `values` maps enrolment id to a number or text; `kind` is "percent",
    "number", "date" or "text" (how to show, sort and export it). The cohort keeps
    the values until a write to the community (or to what its programme asks)
    moves them, and at most until the end of the day (UTC), so a value that counts
    days (overdue on a date) is computed again each day; a value that changes with
    the clock sooner maps the enrolment id to that moment in `until`.
    """

    key: str
    label: Any
    values: dict = field(default_factory=dict, hash=False, compare=False)
    kind: str = "text"
    until: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class FrozenText:
    """What a community decides on, read at the moment a proposal opens.

    `version` names the exact version (a revision's id, say) so that what passes is
    what was read, never a later edit; `text` is shown and fingerprinted.
    """

    title: str
    text: str
    version: str


@dataclass(frozen=True)
class DecisionSubject:
    """A kind of object a community decides on: its values, a rule, its manifesto...

    `key` is stored with each proposal ("accelerator.manifesto"); `title` names the
    kind. `freeze(subject_id)` returns a `FrozenText` of the object as it is now, or
    None if there is no such object in the current community. `decided(subject_id,
    version, passed)` is called once, in the community's context and transaction,
    when a proposal about it closes (adopt exactly `version`; never commit).
    `endpoint`, if set, is the page of the object, built with `community_id` and
    the object's id as the URL argument named `id_argument`.
    """

    key: str
    title: Any
    freeze: Callable[[int], FrozenText | None]
    decided: Callable[[int, str, bool], None] | None = None
    endpoint: str | None = None
    id_argument: str = "subject_id"


@dataclass(frozen=True)
class DecisionRule:
    """How a community decides by default: its charter's rule "how we decide".

    `method` is "consent", "consensus" or "vote"; `quorum_percent` the share of the
    members (counted when a proposal opens) who must take part in a vote; `days`
    how long a proposal stays open; `threshold_percent` the share of yes among yes
    and no that a vote needs (50 means more than half).
    """

    method: str = "consent"
    quorum_percent: int = 0
    days: int = 7
    threshold_percent: int = 50


@dataclass(frozen=True)
class ExportScope:
    """Whose export is being written: the community's id and the coordinator who downloads it."""

    community_id: int
    reader_id: int


@dataclass(frozen=True)
class ExportTable:
    """A table of a community's export (`hromada_export_tables`): one CSV file in the archive.

    Every column of `model` goes into the CSV except the community's id (the whole archive is one
    community's) and those named in `leave_out` (tokens, internal keys, confidential text). A column
    that refers to a person (a foreign key to `users`) is written as the person's handle, their
    pseudonym, never their id or e-mail address. A binary column must be left out: it holds a key
    or sealed text, which nobody reads outside the platform.

    `readable(scope)`: a filter on `model` for a table of which the coordinator reads only some rows
    (members-only rows, say); without it, every row of the community. `extra_columns(scope)`: more
    columns, {name: (Frictionless type, SQL expression)}, such as the coordinator's own e-mail address.
    `decoded`: {column: function(value, scope) -> str} for columns written as the function gives them,
    such as sealed text the coordinator reads on the pages (unsealed, or "" when it cannot be read).
    `omitted_because`: a translatable reason to export none of the table's rows (a wrapped key); the
    archive's README lists it. `tenant_column`: the column that names the community (``"id"`` for the
    communities table itself).
    """

    model: type
    leave_out: tuple[str, ...] = ()
    readable: Callable[[ExportScope], Any] | None = None
    extra_columns: Callable[[ExportScope], dict[str, tuple[str, Any]]] | None = None
    decoded: dict[str, Callable[[Any, ExportScope], str]] = field(default_factory=dict, hash=False)
    omitted_because: Any = None
    tenant_column: str = "tenant_id"

    @property
    def name(self) -> str:
        return self.model.__table__.name


@dataclass(frozen=True)
class ArtefactKind:
    """A kind of a community's artefact a question may link to: its operational plan, a change map...

    `key` is stored with the answer ("accelerator.operational_plan"); `title` names the kind.
    `options(community_id)` lists the community's artefacts of this kind that may be linked, as
    `(id, title)` pairs, in the community's context, with a bounded number of queries. The answer
    keeps the kind, the id and the title as it was when the community answered.
    """

    key: str
    title: Any
    options: Callable[[int], list[tuple[int, str]]]


@dataclass(frozen=True)
class EligibilityCondition:
    """One condition a community must meet to apply to a scholarship call, and whether it does.

    `key` names it ("accelerator.plan_approved"); `label` says it for people ("Strategic goals
    adopted and the operational plan approved"); `met` is the answer for this community and
    `reason` says why, in words the community understands ("The operational plan is still a draft").
    """

    key: str
    label: Any
    met: bool
    reason: Any = ""
