"""What the progress module contributes to Hromada (hook implementations)."""

from hromada.contributions import ProgrammeLink
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l
from hromada.modules.progress.models import EnrolmentTransition, StageProgress


@hookimpl
def hromada_models():
    from hromada.modules.progress.standings.model import CohortStanding, ProgrammeCohortCount, StageFunnelCount

    return [StageProgress, EnrolmentTransition, CohortStanding, StageFunnelCount, ProgrammeCohortCount]


@hookimpl
def hromada_app_ready(app):
    from hromada.modules.progress.standings import keeping

    keeping.install()  # the cohort's read model follows every write, in its transaction


@hookimpl
def hromada_blueprints():
    from hromada.modules.progress.blueprint import bp

    return [bp]


@hookimpl
def hromada_jobs():
    from hromada.modules.progress.digest import stalled_digest

    return [stalled_digest]


@hookimpl
def hromada_cli_commands():
    from hromada.modules.progress.digest import progress_group

    return [progress_group]


@hookimpl
def hromada_community_acted(tenant_id, when):
    from hromada.modules.progress.services import mark_started

    mark_started(tenant_id, when)


@hookimpl
def hromada_programme_links():
    return [ProgrammeLink(_l("Cohort overview"), "progress.cohort", "progress.view_cohort", order=10)]


@hookimpl
def hromada_access_rules():
    from hromada.modules.progress.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.progress.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada.modules.progress.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)


@hookimpl
def hromada_export_tables():
    from hromada.contributions import ExportTable
    from hromada.modules.progress.models import EnrolmentTransition, StageProgress
    from hromada.modules.progress.standings.model import CohortStanding

    # Where the community stands in each programme, as its operators see it (the read model's row).
    return [ExportTable(StageProgress), ExportTable(EnrolmentTransition), ExportTable(CohortStanding)]
