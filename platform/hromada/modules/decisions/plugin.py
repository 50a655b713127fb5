"""What the decisions module contributes to Hromada (hook implementations)."""

from __future__ import annotations

from hromada.contributions import CommunityLink, NavItem, ProgressSection
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l
from hromada.modules.decisions.models import Position, Proposal


@hookimpl
def hromada_models():
    return [Proposal, Position]


@hookimpl
def hromada_blueprints():
    from hromada.modules.decisions.blueprint import bp

    return [bp]


@hookimpl
def hromada_jobs():
    from hromada.modules.decisions.jobs import tick

    return [tick]


@hookimpl
def hromada_cli_commands():
    from hromada.modules.decisions.jobs import decisions_group

    return [decisions_group]


@hookimpl
def hromada_app_ready(app):
    subjects = {}
    for contributed in app.extensions["hromada.plugins"].hook.hromada_decision_subjects():
        for subject in contributed:
            if subject.key in subjects:
                raise RuntimeError(f"Two plugins register the decision subject {subject.key!r}.")
            subjects[subject.key] = subject
    app.extensions["hromada.decision_subjects"] = subjects


@hookimpl
def hromada_navigation(user):
    from hromada import authz

    if user is None or not user.is_authenticated:
        return []
    memberships = authz.principal().memberships
    if len(memberships) != 1:
        return []  # with several communities, each community's progress page links to its decisions
    (community_id,) = memberships
    return [NavItem(label=_l("Decisions"), endpoint="decisions.index", order=16,
                    values={"community_id": community_id})]


@hookimpl
def hromada_progress_sections(enrolment, stage, viewer):
    from hromada.modules.decisions.progress import progress_context

    return [ProgressSection("decisions", _l("Decisions"), "decisions/_progress.html",
                            progress_context(enrolment), order=20)]


@hookimpl
def hromada_access_rules():
    from hromada.modules.decisions.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.decisions.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada.modules.decisions.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)


@hookimpl
def hromada_community_links():
    return [CommunityLink(_l("Decisions"), "decisions.index", order=10)]


@hookimpl
def hromada_export_tables():
    from hromada.modules.decisions.export import EXPORT_TABLES

    return EXPORT_TABLES
