"""The accounts module's contributions: tables, pages, navigation and the admin command."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from hromada import tenancy
from hromada.contributions import NavItem
from hromada.extensions import db
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import (
    CommunityMembership,
    MemberInvitation,
    StaffInvitation,
    StaffMembership,
    User,
    UserSession,
)


@click.group("accounts")
def accounts_group() -> None:
    """Manage accounts."""


@accounts_group.command("create-admin")
@click.argument("handle")
@click.password_option(help="At least 12 characters.")
@with_appcontext
def create_admin(handle: str, password: str) -> None:
    """Create a platform admin (the first account of a new installation)."""
    from hromada.modules.accounts.passwords import MIN_LENGTH, hash_password, is_guessable

    handle = handle.strip().lower()
    if len(password) < MIN_LENGTH:
        raise click.BadParameter(f"use at least {MIN_LENGTH} characters", param_hint="password")
    if is_guessable(password, known=[handle]):
        raise click.BadParameter("it is easy to guess: use a few words only you would put together",
                                 param_hint="password")
    if db.session.scalar(select(User.id).where(User.handle == handle)):
        raise click.BadParameter("this handle is taken", param_hint="handle")
    # System work: on PostgreSQL only that may make a platform admin (migration core0009).
    with tenancy.system_scope():
        db.session.add(User(handle=handle, password_hash=hash_password(password), is_platform_admin=True))
        db.session.commit()
    click.echo(f"Platform admin {handle!r} created.")


@hookimpl
def hromada_models():
    return [User, StaffMembership, CommunityMembership, UserSession, StaffInvitation, MemberInvitation]


@hookimpl
def hromada_blueprints():
    from hromada.modules.accounts.blueprint import bp

    return [bp]


@hookimpl
def hromada_cli_commands():
    return [accounts_group]


@hookimpl
def hromada_navigation(user):
    if user is not None and user.is_authenticated:
        return [NavItem(label=_l("Your account"), endpoint="accounts.account", order=90)]
    return [NavItem(label=_l("Sign in"), endpoint="accounts.sign_in", order=90)]


@hookimpl
def hromada_app_ready(app):
    from hromada.modules.accounts.labels import role_label
    from hromada.modules.accounts import roles_of

    roles_of.install()
    app.extensions["hromada.roles_of"] = roles_of.roles_of  # the access policy asks it who a person is
    app.jinja_env.globals["role_label"] = role_label


@hookimpl
def hromada_access_rules():
    from hromada.modules.accounts.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.accounts.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada.modules.accounts.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)


@hookimpl
def hromada_export_tables():
    from hromada.modules.accounts.export import EXPORT_TABLES

    return EXPORT_TABLES
