"""What the scholarships module contributes to Hromada (hook implementations)."""

from __future__ import annotations

from hromada.contributions import ExportTable, NavItem, ProgrammeLink
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l
from hromada.modules.scholarships.models import (
    Criterion,
    KeptPayment,
    Review,
    ScholarshipApplication,
    ScholarshipCall,
    ScholarshipReport,
    Tranche,
)


@hookimpl
def hromada_models():
    return [ScholarshipCall, ScholarshipApplication, Criterion, Review, Tranche, ScholarshipReport, KeptPayment]


@hookimpl
def hromada_blueprints():
    from hromada.modules.scholarships.blueprint import bp, reports_bp

    return [bp, reports_bp]


@hookimpl
def hromada_access_rules():
    from hromada.modules.scholarships.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.scholarships.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_programme_links(programme):
    return [ProgrammeLink(_l("Scholarship calls"), "scholarships.index", "scholarships.manage", order=40),
            ProgrammeLink(_l("Scholarship budget"), "scholarships.programme_budget", "scholarships.manage", order=41)]


@hookimpl
def hromada_navigation(user):
    from hromada import authz
    from hromada.modules.accounts.models import CommunityRole

    if user is None or not user.is_authenticated:
        return []
    principal = authz.principal()
    entries = []
    coordinated = [c for c, role in principal.memberships.items() if role == CommunityRole.COORDINATOR]
    if len(coordinated) == 1:
        entries.append(NavItem(label=_l("Scholarships"), endpoint="scholarships.community_calls", order=18,
                               values={"community_id": coordinated[0]}))
    if len(principal.staff) == 1:  # staff of one organisation: the applications they are asked to review
        (organisation_id,) = principal.staff
        entries.append(NavItem(label=_l("My reviews"), endpoint="scholarships.reviews", order=19,
                               values={"organisation_id": organisation_id}))
    return entries


@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada.modules.scholarships.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)


@hookimpl(trylast=True)  # after the stage plugins' demos: their plans and change maps are what the calls fund
def hromada_demo_data(communities, people):
    from hromada.modules.scholarships.demo import add_civic_call, add_demo_call

    add_demo_call(communities, people)
    add_civic_call(communities, people)


@hookimpl
def hromada_export_tables():
    # The community's applications, as it reads them: who decided stays the organisation's to say.
    return [ExportTable(ScholarshipApplication, leave_out=("determined_by_id",)),
            ExportTable(Tranche, leave_out=("recorded_by_id",)),
            ExportTable(ScholarshipReport, leave_out=("decided_by_id",))]


@hookimpl
def hromada_milestone_done(tenant_id, milestone_id):
    from hromada.modules.scholarships.tranches import release_for_milestone

    release_for_milestone(tenant_id, milestone_id)


@hookimpl
def hromada_community_erasing(tenant_id):
    from hromada.modules.scholarships.tranches import keep_payments

    keep_payments(tenant_id)


@hookimpl
def hromada_jobs():
    from hromada.modules.scholarships.jobs import report_reminders

    return [report_reminders]


@hookimpl
def hromada_cli_commands():
    from hromada.modules.scholarships.jobs import scholarships_group

    return [scholarships_group]
