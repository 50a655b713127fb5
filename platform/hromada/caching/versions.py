"""Data versions: a number that moves forward with every committed write a page could show.

Two kinds, both moved in the writing transaction (so a reader sees the new data
and the new version together, or neither):

- a community's version, `enrolments.data_version` on each of its enrolments,
  when the transaction wrote rows of that one community only;
- the platform's version, the `global` row of `data_versions`, for everything
  else: programmes, stages, courses, events, people, or rows of several
  communities at once, or a bulk statement whose rows cannot be told.

A model whose rows no cached page shows (sessions, the audit log, notifications,
job records) says `__data_version__ = False`; its writes move nothing. Every other
model counts, including those a plugin adds, so forgetting costs cache hits, never
correctness.

The versions are moved in `before_commit`, last, so the row locks they take are
held only while the transaction commits. The platform's row is always the last
lock a transaction takes, so it cannot be part of a deadlock; a transaction that
touched several communities moves only the platform's version, so it never locks
the enrolments of two communities in an order another transaction could reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import BigInteger, String, event, func, inspect, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from hromada import tenancy
from hromada.extensions import db
from hromada.tenancy import SharedWithOrganisation, TenantOwned

PLATFORM = "global"
_TOUCHED = "hromada_touched"


class DataVersion(db.Model):
    """A named version; the only row is the platform's (`global`)."""

    __tablename__ = "data_versions"
    __data_version__ = False  # moving it must not move it again

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


def platform_version():
    """The platform's version, as a scalar subquery to add to a page's first query."""
    return select(DataVersion.version).where(DataVersion.name == PLATFORM).scalar_subquery()


def programme_versions(programme_id: int) -> tuple[int, int, int]:
    """(communities enrolled, sum of their versions, platform version): changes with any write a cohort shows.

    A community's version only grows, so the sum grows with any one of them; the
    count changes when a community joins or leaves.
    """
    from hromada.modules.communities.models import Enrolment

    count, total, platform = db.session.execute(
        select(func.count(Enrolment.id), func.coalesce(func.sum(Enrolment.data_version), 0), platform_version())
        .where(Enrolment.programme_id == programme_id)
    ).one()
    return count, int(total), platform or 0


@dataclass
class Touched:
    """What the open transaction wrote, so far."""

    tenants: set[int] = field(default_factory=set)
    everything: bool = False


def _counts(model: type) -> bool:
    return getattr(model, "__data_version__", True)


def _touched(session: Session) -> Touched:
    return session.info.setdefault(_TOUCHED, Touched())


def _note_flush(session: Session, _flush_context) -> None:
    """After each flush: which communities' rows it wrote, or whether it wrote anything else."""
    from hromada.modules.communities.models import Community

    for instance in chain(session.new, session.dirty, session.deleted):
        if not _counts(type(instance)):
            continue
        if instance in session.dirty and not session.is_modified(instance, include_collections=False):
            continue
        touched = _touched(session)
        # Read from the loaded state: a deleted row's expired attribute cannot be loaded again.
        loaded = inspect(instance).dict
        if isinstance(instance, (TenantOwned, SharedWithOrganisation)):
            tenant_id = loaded.get("tenant_id")
        elif isinstance(instance, Community):
            tenant_id = loaded.get("id")
        else:  # memberships (a person's rows in several communities) and everything not a community's
            tenant_id = None
        if tenant_id is None:
            touched.everything = True
        else:
            touched.tenants.add(tenant_id)


def _note_statement(state) -> None:
    """A bulk INSERT, UPDATE or DELETE: its rows are not known, only the context that runs it."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and not _counts(mapper.class_):
        return
    context = tenancy.current()
    one_community = (
        mapper is not None and issubclass(mapper.class_, (TenantOwned, SharedWithOrganisation))
        and context.tenant_id is not None and context.organisation_id is None
        and not context.reader_tenants and not context.system
    )
    touched = _touched(state.session)
    if one_community:
        # Both walls let this context write only its own community's rows.
        touched.tenants.add(context.tenant_id)
    else:
        touched.everything = True


def _move_versions(session: Session) -> None:
    """Before the commit: move the versions of what this transaction wrote."""
    session.flush()  # what is still pending is part of this transaction too
    touched: Touched | None = session.info.pop(_TOUCHED, None)
    if touched is None:
        return
    from hromada.modules.communities.models import Enrolment

    tenants = touched.tenants
    connection = session.connection()  # Core statements: they pass no ORM event, so they move nothing again
    if len(tenants) == 1 and not touched.everything:
        (tenant_id,) = tenants
        enrolments = Enrolment.__table__
        statement = update(enrolments).where(enrolments.c.tenant_id == tenant_id)
        context = tenancy.current()
        if not context.system:
            # Only the enrolments this context may write (row-level security refuses the others).
            statement = statement.where(or_(enrolments.c.tenant_id == (context.tenant_id or 0),
                                            enrolments.c.organisation_id == (context.organisation_id or 0)))
        connection.execute(statement.values(data_version=enrolments.c.data_version + 1))
    elif tenants or touched.everything:
        connection.execute(_move_platform_version(connection.dialect.name))


def _move_platform_version(dialect: str):
    """version + 1, creating the row if it is missing (a database emptied by hand, or by a test)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = DataVersion.__table__
    statement = insert(table).values(name=PLATFORM, version=1)
    return statement.on_conflict_do_update(index_elements=[table.c.name], set_={"version": table.c.version + 1})


def _forget(session: Session, *_args) -> None:
    session.info.pop(_TOUCHED, None)


_installed = False


def install() -> None:
    """Listen on every ORM session (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _note_flush)
    event.listen(Session, "do_orm_execute", _note_statement)
    event.listen(Session, "before_commit", _move_versions)
    event.listen(Session, "after_rollback", _forget)
    _installed = True
