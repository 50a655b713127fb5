"""What the consultations module contributes to Hromada (hook implementations)."""

from __future__ import annotations

from hromada.contributions import CommunityLink, NavItem, ProgrammeLink, ProgressSection
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l
from hromada.modules.consultations.models import Consultation, FollowUp, NoteShare, ProgrammeTopic
from hromada.times import format_moment


@hookimpl
def hromada_models():
    return [ProgrammeTopic, Consultation, FollowUp, NoteShare]


@hookimpl
def hromada_blueprints():
    from hromada.modules.consultations.blueprint import bp

    return [bp]


@hookimpl
def hromada_jobs():
    from hromada.modules.consultations.jobs import follow_up_reminders, retired_log_time_reminder

    return [follow_up_reminders, retired_log_time_reminder]


@hookimpl
def hromada_cli_commands():
    from hromada.modules.consultations.jobs import consultations_group

    return [consultations_group]


@hookimpl
def hromada_app_ready(app):
    from hromada.modules.consultations import labels
    from hromada.modules.consultations.topics import register_topics, topic_title

    register_topics(app)
    app.jinja_env.globals.update(
        consultation_status_label=labels.status_label,
        consultation_topic_title=topic_title,
        consultation_time=format_moment,
        consultation_hours=labels.format_hours,
    )


@hookimpl
def hromada_navigation(user):
    from hromada import authz

    if user is not None and user.is_authenticated:
        p = authz.principal()
        if p.memberships or p.staff:
            return [NavItem(label=_l("Consultations"), endpoint="consultations.hub", order=40)]
    return []


@hookimpl
def hromada_progress_sections(enrolment, stage, viewer):
    """The follow-ups agreed in this enrolment's consultations: all of them for the community's
    coordinators and its assigned staff, a member's own, and counts only for operators."""
    from hromada.modules.consultations.access import Viewer
    from hromada.clock import today
    from hromada.modules.consultations.util import community_follow_ups
    from hromada.modules.consultations.forms import ConfirmForm

    seen_by = Viewer.load(enrolment.tenant_id)
    follow_ups, counts = community_follow_ups(enrolment.tenant_id, seen_by, enrolment_id=enrolment.id)
    return [
        ProgressSection(
            key="consultations.follow_ups",
            title=_l("Follow-ups from consultations"),
            template="consultations/_progress.html",
            context={
                "follow_ups": follow_ups,
                "follow_up_counts": counts,
                "community_id": enrolment.tenant_id,
                "today": today(),
                "confirm": ConfirmForm(formdata=None),
                "consultations_viewer": seen_by,
            },
            order=60,
        )
    ]


@hookimpl
def hromada_community_links():
    return [CommunityLink(_l("Consultations"), "consultations.index", order=40),
            CommunityLink(_l("Follow-ups"), "consultations.follow_ups", order=41)]


@hookimpl
def hromada_programme_links():
    return [
        ProgrammeLink(_l("Consultations"), "consultations.programme_kpis", "consultations.programme_kpis", order=40),
        ProgrammeLink(_l("Consultation topics"), "consultations.programme_topics", "consultations.manage_topics",
                      order=41),
    ]


@hookimpl
def hromada_access_rules():
    from hromada.modules.consultations.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.consultations.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada.modules.consultations.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)


@hookimpl
def hromada_export_tables():
    from hromada.contributions import ExportTable
    from hromada.modules.consultations.models import Consultation, FollowUp, NoteShare

    # The private notes are sealed under the community's key and readable by their author's side
    # only (never by a coordinator): they stay out, as the archive's README says.
    return [ExportTable(Consultation, leave_out=("private_notes", "idempotency_key")),
            ExportTable(FollowUp), ExportTable(NoteShare)]


@hookimpl
def hromada_demo_data(communities, people):
    from hromada.modules.consultations.demo import add_demo_consultations

    add_demo_consultations(communities, people)
