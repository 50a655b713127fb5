"""The ORM wall: session events that scope every query and every write to the tenancy context."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from flask import has_app_context
from sqlalchemy import Integer, String, bindparam, cast, event, func, inspect, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, with_loader_criteria

from hromada import tenancy
from hromada.tenancy import (
    TENANT_MIXINS,
    MembershipRow,
    SharedWithOrganisation,
    TenancyContext,
    TenantOwned,
    TenantViolation,
)

# Ids start at 1: 0 stands for "none", so that an absent tenant or organisation
# matches no row and every cached statement has the same shape.
NOBODY = 0

# In the driver's own parameter style (psycopg's): see _apply.
_SET_CONTEXT = (
    "SELECT set_config('app.current_tenant', %(tenant)s, true),"
    " set_config('app.reader_tenants', %(readers)s, true),"
    " set_config('app.current_organisation', %(organisation)s, true),"
    " set_config('app.current_user', %(user)s, true),"
    " set_config('app.system', %(system)s, true)"
)


def database_settings(context: TenancyContext) -> dict[str, str]:
    """The transaction-local settings the row-level security policies read."""
    return {
        "tenant": "" if context.tenant_id is None else str(context.tenant_id),
        "readers": ",".join(str(tenant) for tenant in sorted(context.reader_tenants)),
        "organisation": "" if context.organisation_id is None else str(context.organisation_id),
        "user": "" if context.user_id is None else str(context.user_id),
        "system": "on" if context.system else "off",
    }


def _scope_query(state) -> None:
    if not (state.is_select or state.is_update or state.is_delete) or state.is_column_load:
        return
    context = tenancy.current()
    if context.system:
        return
    state.statement = state.statement.options(
        *_criteria(tuple(context.readable_tenants()), context.organisation_id or NOBODY, context.user_id or NOBODY,
                   state.session.get_bind().dialect.name == "postgresql")
    )


@lru_cache(maxsize=256)
def _criteria(readable: tuple[int, ...], organisation: int, user: int, array: bool) -> tuple:
    """The loader criteria of one context, built once: building them costs more than the query they scope.

    On PostgreSQL the readable tenants are one array parameter (`tenant_id = ANY(:readable)`),
    so the statement's text does not depend on how many there are (a staff page may read
    hundreds of communities) and PostgreSQL can keep one prepared statement for it.
    """
    from hromada.modules.communities.models import Community

    # Each lambda names its values directly: SQLAlchemy reads a lambda's own closure for
    # the parameters of every statement it scopes, and would miss values hidden one level deeper.
    # The two branches stay apart: SQLAlchemy caches a lambda by where it is written, and here the
    # same names hold a SQL array subquery in one branch and a Python list in the other.
    if array:
        readable = select(func.unnest(bindparam("hromada_readable", value=list(readable or [NOBODY]),
                                                type_=ARRAY(Integer)))).scalar_subquery()
        return (
            with_loader_criteria(TenantOwned, lambda cls: cls.tenant_id.in_(readable), include_aliases=True),
            with_loader_criteria(
                SharedWithOrganisation,
                lambda cls: or_(cls.tenant_id.in_(readable), cls.organisation_id == organisation),
                include_aliases=True,
            ),
            with_loader_criteria(
                MembershipRow, lambda cls: or_(cls.tenant_id.in_(readable), cls.user_id == user),
                include_aliases=True,
            ),
            with_loader_criteria(Community, lambda cls: cls.id.in_(readable), include_aliases=True),
        )
    readable = list(readable or [NOBODY])
    return (
        with_loader_criteria(TenantOwned, lambda cls: cls.tenant_id.in_(readable), include_aliases=True),
        with_loader_criteria(
            SharedWithOrganisation,
            lambda cls: or_(cls.tenant_id.in_(readable), cls.organisation_id == organisation),
            include_aliases=True,
        ),
        with_loader_criteria(
            MembershipRow, lambda cls: or_(cls.tenant_id.in_(readable), cls.user_id == user), include_aliases=True
        ),
        with_loader_criteria(Community, lambda cls: cls.id.in_(readable), include_aliases=True),
    )


def _check_writes(session: Session, _flush_context, _instances) -> None:
    context = tenancy.current()
    for instance in session.new:
        if isinstance(instance, SharedWithOrganisation):
            if instance.organisation_id is None:
                instance.organisation_id = context.organisation_id
            if context.organisation_id is not None and instance.organisation_id == context.organisation_id:
                continue  # the organisation writes the rows it shares with a community
        if isinstance(instance, TENANT_MIXINS):
            if instance.tenant_id is None:
                instance.tenant_id = context.tenant_id
            if instance.tenant_id is None or (instance.tenant_id != context.tenant_id and not context.system):
                raise TenantViolation(f"A {type(instance).__name__} may only be written for the current community.")
    for instance in session.dirty:
        if isinstance(instance, TENANT_MIXINS) and inspect(instance).attrs.tenant_id.history.deleted:
            raise TenantViolation(f"A {type(instance).__name__} never moves to another community.")


# What the open transaction's settings say, in the connection's info: a context already in
# force is not set again. Every transaction starts from the empty context (the settings are
# transaction-local), and `after_begin` records what it applied.
_APPLIED = "hromada_tenancy_applied"


def _set_database_context(session: Session, _transaction, connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    context = tenancy.current()
    # The settings are transaction-local: a new transaction starts with all of them empty,
    # which is what the empty context would set (no tenant, no reader, not the system).
    if context != tenancy.EMPTY:
        _apply(connection, context)
    connection.info[_APPLIED] = context


def _apply(connection, context: TenancyContext) -> None:
    """Set the context's settings in the open transaction, straight through the driver.

    Every signed-in request changes its context once or twice; executed by SQLAlchemy,
    this one-row SELECT cost several times its round trip to the server.
    """
    with connection.connection.driver_connection.cursor() as cursor:
        cursor.execute(_SET_CONTEXT, database_settings(context))


def _open_postgresql_connection():
    """The connection of the session's open transaction on PostgreSQL, or None."""
    if not has_app_context():
        return None
    from hromada.extensions import db

    session = db.session()
    if not session.in_transaction():
        return None
    connection = session.connection()
    return connection if connection.dialect.name == "postgresql" else None


def apply_to_open_transaction(context: TenancyContext) -> None:
    """Carry a changed context into the transaction that is already open, if any."""
    connection = _open_postgresql_connection()
    if connection is not None and connection.info.get(_APPLIED) != context:
        _apply(connection, context)
        connection.info[_APPLIED] = context


def setting_current_user(statement, user_id_column):
    """`statement`, made to set `app.current_user` to the user it finds, in the same round trip.

    Every signed-in request starts by finding its user and then acts as that user;
    this saves the separate `set_config` of `tenancy.set_user`. Call
    `current_user_was_set` when the statement found a row, and `tenancy.set_user`
    once the user is accepted (or `apply_to_open_transaction(tenancy.current())`
    when not, so that the setting is taken back).
    """
    return statement.add_columns(func.set_config("app.current_user", cast(user_id_column, String), True))


def current_user_was_set(user_id: int) -> None:
    """A statement of `setting_current_user` found `user_id`: the open transaction now acts as them."""
    connection = _open_postgresql_connection()
    if connection is not None:
        applied = connection.info.get(_APPLIED, tenancy.EMPTY)
        connection.info[_APPLIED] = replace(applied, user_id=user_id)


_installed = False


def install() -> None:
    """Listen on every ORM session (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "do_orm_execute", _scope_query)
    event.listen(Session, "before_flush", _check_writes)
    event.listen(Session, "after_begin", _set_database_context)
    _installed = True
