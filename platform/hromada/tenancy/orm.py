"""The ORM wall: session events that scope every query and every write to the tenancy context."""

from __future__ import annotations

import re
from functools import lru_cache

from flask import current_app, has_app_context
from sqlalchemy import Integer, bindparam, event, func, inspect, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, with_loader_criteria

from hromada import tenancy
from hromada.extensions import db
from hromada.tenancy import (
    TENANT_MIXINS,
    MembersOnly,
    MembershipRow,
    SharedWithOrganisation,
    TenancyContext,
    Tenant,
    TenantOwned,
    TenantViolation,
)
from hromada.tenancy.signing import BACKEND_PID, sign

# Ids start at 1: 0 stands for "none", so that an absent tenant or organisation
# matches no row and every cached statement has the same shape.
NOBODY = 0

# In the driver's own parameter style (psycopg's): see _apply.
_SET_CONTEXT = (
    "SELECT set_config('app.current_tenant', %(tenant)s, true),"
    " set_config('app.reader_tenants', %(readers)s, true),"
    " set_config('app.current_organisation', %(organisation)s, true),"
    " set_config('app.current_user', %(user)s, true),"
    " set_config('app.system', %(system)s, true),"
    " set_config('app.platform_admin', %(platform_admin)s, true),"
    " set_config('app.credential_user', %(credential_user)s, true),"
    " set_config('app.context_signature', %(signature)s, true)"
)


def database_settings(context: TenancyContext) -> dict[str, str]:
    """The transaction-local settings the row-level security policies read."""
    return {
        "tenant": "" if context.tenant_id is None else str(context.tenant_id),
        "readers": ",".join(str(tenant) for tenant in sorted(context.reader_tenants)),
        "organisation": "" if context.organisation_id is None else str(context.organisation_id),
        "user": "" if context.user_id is None else str(context.user_id),
        "system": "on" if context.system else "off",
        "platform_admin": "on" if context.platform_admin else "off",
        "credential_user": "" if context.credential_user is None else str(context.credential_user),
    }


def _scope_query(state) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    context = tenancy.current()
    # The values always go along: the criteria of an earlier statement travel with the lazy
    # loads of what it loaded, whatever the context is by then.
    state.parameters = _with_context_values(state.parameters, context)
    if context.system or state.is_column_load:
        return
    state.statement = state.statement.options(*_criteria(state.session.get_bind().dialect.name == "postgresql"))


def _with_context_values(parameters, context: TenancyContext):
    values = {
        "hromada_readable": context.readable_tenants() or [NOBODY],
        "hromada_organisation": context.organisation_id or NOBODY,
        "hromada_user": context.user_id or NOBODY,
        "hromada_tenant": context.tenant_id or NOBODY,
    }
    if isinstance(parameters, list):  # a bulk UPDATE by primary key: one set of values per row
        return [{**row, **values} for row in parameters]
    return {**(parameters or {}), **values}


# The context's values are parameters of each execution, never values inside the criteria: the
# criteria are then the same objects in every context, and SQLAlchemy need not extract and match
# their values on every statement again (that took about half of what the wall cost a statement).
# On PostgreSQL the readable tenants are one array parameter, so the statement's text does not
# depend on how many there are (a staff page may read hundreds of communities) and PostgreSQL
# keeps one prepared statement for it; on SQLite they are an IN list.
_READABLE_ARRAY = select(func.unnest(bindparam("hromada_readable", type_=ARRAY(Integer)))).scalar_subquery()
_READABLE_LIST = bindparam("hromada_readable", expanding=True)
_ORGANISATION = bindparam("hromada_organisation", type_=Integer)
_USER = bindparam("hromada_user", type_=Integer)
_TENANT = bindparam("hromada_tenant", type_=Integer)


def _tenant_model() -> type:
    """The model marked `Tenant`, found when the criteria are first built: every model is imported by then."""
    (model,) = (mapper.class_ for mapper in db.Model.registry.mappers if issubclass(mapper.class_, Tenant))
    return model


@lru_cache(maxsize=2)
def _criteria(array: bool) -> tuple:
    """The loader criteria, built once per dialect: building them costs more than the query they scope."""
    tenant_model = _tenant_model()
    # The two branches stay apart: SQLAlchemy caches a lambda by where it is written.
    if array:
        return (
            with_loader_criteria(TenantOwned, lambda cls: cls.tenant_id.in_(_READABLE_ARRAY), include_aliases=True),
            with_loader_criteria(
                SharedWithOrganisation,
                lambda cls: or_(cls.tenant_id.in_(_READABLE_ARRAY), cls.organisation_id == _ORGANISATION),
                include_aliases=True,
            ),
            with_loader_criteria(
                MembershipRow, lambda cls: or_(cls.tenant_id.in_(_READABLE_ARRAY), cls.user_id == _USER),
                include_aliases=True,
            ),
            with_loader_criteria(MembersOnly, lambda cls: cls.tenant_id == _TENANT, include_aliases=True),
            with_loader_criteria(tenant_model, lambda cls: cls.id.in_(_READABLE_ARRAY), include_aliases=True),
        )
    return (
        with_loader_criteria(TenantOwned, lambda cls: cls.tenant_id.in_(_READABLE_LIST), include_aliases=True),
        with_loader_criteria(
            SharedWithOrganisation,
            lambda cls: or_(cls.tenant_id.in_(_READABLE_LIST), cls.organisation_id == _ORGANISATION),
            include_aliases=True,
        ),
        with_loader_criteria(
            MembershipRow, lambda cls: or_(cls.tenant_id.in_(_READABLE_LIST), cls.user_id == _USER),
            include_aliases=True,
        ),
        with_loader_criteria(MembersOnly, lambda cls: cls.tenant_id == _TENANT, include_aliases=True),
        with_loader_criteria(tenant_model, lambda cls: cls.id.in_(_READABLE_LIST), include_aliases=True),
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
    # A session that joins a transaction already open, in a savepoint of it (as each test's
    # sessions do, hromada.testing.fixtures), finds whatever that transaction set last: it
    # sets its context whatever it is.
    if context != tenancy.EMPTY or connection.in_nested_transaction():
        _apply(connection, context)
    connection.info[_APPLIED] = context


def _apply(connection, context: TenancyContext) -> None:
    """Set the context's settings in the open transaction, straight through the driver.

    Every signed-in request changes its context once or twice; executed by SQLAlchemy,
    this one-row SELECT cost several times its round trip to the server.
    """
    settings = database_settings(context)
    # Signed, so that SQL which changes a setting afterwards leaves a context the policies refuse.
    settings["signature"] = sign(current_app.extensions["hromada.context_key"], settings, connection.info[BACKEND_PID])
    driver = connection.connection.driver_connection
    if _begins_here(driver):
        _begin_with(driver, settings)
        return
    with driver.cursor() as cursor:
        cursor.execute(_SET_CONTEXT, settings)


def _begins_here(driver) -> bool:
    """Whether psycopg is yet to send its BEGIN, a plain one (the driver sends it with the first statement)."""
    from psycopg.pq import TransactionStatus

    return (driver.pgconn.transaction_status == TransactionStatus.IDLE and not driver.autocommit
            and driver.isolation_level is None and driver.read_only is None and driver.deferrable is None)


# The settings are digits, commas, "on", "off" and a hex signature (database_settings, sign): checked, then
# written into the text, because a statement with parameters cannot share its round trip with BEGIN.
_PLAIN_SETTING = re.compile(r"[0-9a-f,]*|on|off")


def _begin_with(driver, settings: dict[str, str]) -> None:
    """BEGIN and the context's settings in one round trip, where psycopg would take one for each.

    A transaction that starts with a context (every signed-in request's, every job's) then pays
    one round trip for both; the settings still come first, before any statement can read a row.
    """
    from psycopg import OperationalError
    from psycopg.pq import ExecStatus

    for value in settings.values():
        if not _PLAIN_SETTING.fullmatch(value):
            raise ValueError("A tenancy setting is not a plain value.")
    text = _SET_CONTEXT % {name: f"'{value}'" for name, value in settings.items()}
    with driver.lock:
        result = driver.pgconn.exec_(f"BEGIN; {text}".encode())
    if result.status != ExecStatus.TUPLES_OK:
        raise OperationalError(f"The tenancy context could not be set: {result.error_message.decode(errors='replace')}")


def _open_postgresql_connection():
    """The connection of the session's open transaction on PostgreSQL, or None."""
    if not has_app_context():
        return None
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
