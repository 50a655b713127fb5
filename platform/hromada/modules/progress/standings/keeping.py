"""Keeping `cohort_standings` in step with every write, in the writing transaction.

After each flush we note which communities the transaction wrote rows of, and
which programmes it changed for everyone (a stage, its settings, its courses);
just before the commit, one statement rewrites the noted communities' rows
(their stage, status, name and activity, from the tables) and moves their
version, and one more moves the version of every row of the noted programmes, so
that what was evaluated for them (requirements met, the plugins' columns) is
evaluated again before it is shown. Both run as the owner's functions on
PostgreSQL (`sql`), since a writer may not read all a row is made of.

A bulk statement names no rows: the code that runs one on a community's rows
may say whose they are with the execution option `hromada_tenants`; without it,
a statement in a community's own context is taken as that community's, and
in any other context the communities are read from the statement (an INSERT's
rows, or a SELECT of what an UPDATE's or a DELETE's criteria match). One that
cannot be told refreshes every row: correct, and slow.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import Session

from hromada import tenancy
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.progress.standings import sql
from hromada.modules.progress.standings.model import CohortStanding

_NOTED = "hromada_standings"
TENANTS_OPTION = "hromada_tenants"


@dataclass
class Noted:
    tenants: set[int] = field(default_factory=set)
    everyone: bool = False  # rows of communities that cannot be told: refresh them all
    every_programme: bool = False  # what programmes ask changed, which cannot be told: outdate them all
    programmes: set[int] = field(default_factory=set)
    stages: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)


def _noted(session: Session) -> Noted:
    return session.info.setdefault(_NOTED, Noted())


def _counts(model: type) -> bool:
    # Sessions, the audit log, notifications, jobs and the read model itself change nothing a cohort shows.
    return model is not CohortStanding and getattr(model, "__data_version__", True)


def _note_flush(session: Session, _flush_context) -> None:
    for instance in chain(session.new, session.dirty, session.deleted):
        if not _counts(type(instance)):
            continue
        if instance in session.dirty and not session.is_modified(instance, include_collections=False):
            continue
        loaded = inspect(instance).dict  # a deleted row's expired attributes cannot be loaded again
        noted = _noted(session)
        if isinstance(instance, tenancy.Tenant):
            noted.tenants.add(loaded.get("id"))
        elif isinstance(instance, Programme):  # its own rows only, not every programme of its organisation
            noted.programmes.add(loaded.get("id"))
        elif loaded.get("tenant_id") is not None:
            noted.tenants.add(loaded["tenant_id"])
        elif loaded.get("programme_id") is not None:
            noted.programmes.add(loaded["programme_id"])
        elif loaded.get("stage_id") is not None:
            noted.stages.add(loaded["stage_id"])
        elif loaded.get("organisation_id") is not None:
            noted.organisations.add(loaded["organisation_id"])
        # Else a person, a setting of the platform: nothing a stage asks of a community.


def _note_statement(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    model = state.bind_mapper.class_
    if not _counts(model):
        return
    noted = _noted(state.session)
    if not (issubclass(model, tenancy.Tenant) or hasattr(model, "tenant_id")):
        # A programme's, a stage's or an organisation's rows: what their programmes ask may have changed.
        columns = (("id", noted.programmes),) if model is Programme else (
            ("programme_id", noted.programmes), ("stage_id", noted.stages), ("organisation_id", noted.organisations))
        for column, found in columns:
            if hasattr(model, column):
                written = _written(state, getattr(model, column))
                if written is None:
                    noted.every_programme = True
                else:
                    found.update(written)
                return
        return
    named = state.execution_options.get(TENANTS_OPTION)
    context = tenancy.current()
    if named is not None:
        noted.tenants.update(named)
    elif context.tenant_id is not None and context.organisation_id is None and not context.system:
        noted.tenants.add(context.tenant_id)  # both walls let this context write only its own rows
    else:
        written = _written(state, model.id if issubclass(model, tenancy.Tenant) else model.tenant_id)
        if written is None:
            noted.everyone = True
        else:
            noted.tenants.update(written)


def _written(state, column) -> set[int] | None:
    """The values of `column` (whose rows) a bulk statement writes: from an INSERT's rows, or by selecting
    what an UPDATE's or a DELETE's criteria match (under the same walls as the statement itself, so no more
    than it writes). None: it cannot be told."""
    if state.is_insert:
        rows = state.parameters
        rows = rows if isinstance(rows, (list, tuple)) else [rows] if rows else []
        found = {row.get(column.key) for row in rows if isinstance(row, dict)}
        return found if rows and None not in found else None
    where = state.statement.whereclause
    if where is None:
        return None
    return set(state.session.execute(select(column).where(where).distinct()).scalars())


def _keep(session: Session) -> None:
    session.flush()
    noted: Noted | None = session.info.pop(_NOTED, None)
    if noted is None:
        return
    connection = session.connection()
    programmes = set(noted.programmes)
    if noted.stages:
        programmes |= set(connection.execute(select(Stage.programme_id).where(Stage.id.in_(noted.stages))).scalars())
    if noted.organisations or noted.every_programme:
        every = select(Programme.id)
        programmes |= set(connection.execute(every if noted.every_programme else every.where(
            Programme.organisation_id.in_(noted.organisations))).scalars())
    tenants = None if noted.everyone else sorted(noted.tenants)
    if tenants != []:
        refresh(connection, tenants)
    if programmes:
        outdate(connection, sorted(programmes))


def refresh(connection, tenants: list[int] | None) -> None:
    """Rewrite the rows of these communities' enrolments (None: of every enrolment) and move their versions."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT public.hromada_refresh_standings(CAST(:tenants AS bigint[]))"),
                           {"tenants": tenants})
    else:
        connection.execute(text(sql.SQLITE_REFRESH), {"tenants": None if tenants is None else json.dumps(tenants)})


def outdate(connection, programmes: list[int]) -> None:
    """Move the version of every row of these programmes: their evaluations no longer count."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT public.hromada_outdate_standings(CAST(:programmes AS bigint[]))"),
                           {"programmes": programmes})
    else:
        connection.execute(text(sql.SQLITE_OUTDATE), {"programmes": json.dumps(programmes)})


def _forget(session: Session, *_args) -> None:
    session.info.pop(_NOTED, None)


_installed = False


def install() -> None:
    """Listen on every ORM session (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _note_flush)
    event.listen(Session, "do_orm_execute", _note_statement)
    event.listen(Session, "before_commit", _keep)
    event.listen(Session, "after_rollback", _forget)
    _installed = True
