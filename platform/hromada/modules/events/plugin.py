"""What the events module contributes to Hromada (hook implementations)."""

from __future__ import annotations

from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from hromada.contributions import (
    CommunityLink,
    CohortColumn,
    NavItem,
    Outcome,
    ProgrammeLink,
    ProgressSection,
    Requirement,
    StageSetting,
)
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l
from hromada.modules.events.models import EventRegistration, FollowUpItem, NetworkingEvent
from hromada.modules.programmes.stage_settings import stage_setting

REQUIREMENT_SETTING = "networking_events_required"
WHOLE_NUMBER = _l("Enter a whole number.")
PROGRESS_EVENTS = 5


@hookimpl
def hromada_models():
    return [NetworkingEvent, EventRegistration, FollowUpItem]


@hookimpl
def hromada_blueprints():
    from hromada.modules.events.blueprint import bp

    return [bp]


@hookimpl
def hromada_jobs():
    from hromada.modules.events.jobs import send_reminders

    return [send_reminders]


@hookimpl
def hromada_cli_commands():
    from hromada.modules.events.jobs import events_group

    return [events_group]


@hookimpl
def hromada_app_ready(app):
    from hromada.modules.events.templating import configure_templating

    configure_templating(app)


@hookimpl
def hromada_navigation(user):
    from hromada import authz

    if user is None or not user.is_authenticated:
        return []
    principal = authz.principal()
    items = [
        NavItem(label=_l("Networking events"), endpoint="events.organisation_events", order=30,
                values={"organisation_id": organisation_id})
        for organisation_id in sorted(principal.staff)
        if authz.can("events.mark_attendance", organisation_id)
    ]
    if len(principal.memberships) == 1:
        # With several communities, each community's page links to its own events.
        (community_id,) = principal.memberships
        items.append(NavItem(label=_l("Events"), endpoint="events.community_events", order=15,
                             values={"community_id": community_id}))
    return items


@hookimpl
def hromada_stage_requirements(stage):
    try:
        required = int(stage_setting(stage, REQUIREMENT_SETTING) or 0)
    except (TypeError, ValueError):
        required = 0  # a setting that is not a number asks for nothing rather than stopping every page
    if required <= 0:
        return []

    def evaluate(stage, enrolments):
        from hromada.modules.events.kpis import attended_event_counts

        counts = attended_event_counts(stage.programme_id, {e.tenant_id for e in enrolments}, stage=stage)
        outcomes = {}
        for enrolment in enrolments:
            attended = counts.get(enrolment.tenant_id, 0)
            outcomes[enrolment.id] = Outcome(
                attended >= required,
                "" if attended >= required else _l(
                    "attended %(attended)s of %(required)s networking events", attended=attended, required=required
                ),
            )
        return outcomes

    return [Requirement("events.networking", _l("Networking events attended"), evaluate)]


@hookimpl
def hromada_stage_settings_fields(stage_type):
    # Stage types that offer networking between their communities ask for a number of events.
    if not any(activity.kind == "networking" for activity in stage_type.activities):
        return []
    return [StageSetting(REQUIREMENT_SETTING, IntegerField(
        _l("Networking events each community attends"),
        default=1,
        validators=[InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=20, message=_l("Between 0 and 20."))],
        invalid_value_message=WHOLE_NUMBER,
    ))]


@hookimpl
def hromada_cohort_columns(programme, enrolments):
    from hromada.modules.events.kpis import attended_event_counts

    counts = attended_event_counts(programme.id, {e.tenant_id for e in enrolments})
    return [CohortColumn("events.attended", _l("Events attended"),
                         {e.id: counts.get(e.tenant_id, 0) for e in enrolments}, kind="number")]


@hookimpl
def hromada_progress_sections(enrolment, stage, viewer):
    from hromada.modules.events.progress import progress_context

    return [ProgressSection("events", _l("Networking events"), "events/_progress.html",
                            progress_context(enrolment, viewer, limit=PROGRESS_EVENTS), order=40)]


@hookimpl
def hromada_programme_links():
    return [
        ProgrammeLink(_l("Networking events"), "events.programme_events", "events.mark_attendance", order=30),
        ProgrammeLink(_l("Participation in networking events"), "events.programme_kpis", "events.manage", order=31),
    ]


@hookimpl
def hromada_access_rules():
    from hromada.modules.events.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.events.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada.modules.events.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)


@hookimpl
def hromada_community_links():
    return [CommunityLink(_l("Events"), "events.community_events", order=30)]


@hookimpl
def hromada_export_tables():
    from hromada.contributions import ExportTable
    from hromada.modules.events.models import EventRegistration

    return [ExportTable(EventRegistration)]


@hookimpl
def hromada_demo_data(communities, people):
    from hromada.modules.events.demo import add_demo_events

    add_demo_events(communities, people)
