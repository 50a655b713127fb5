"""Data versions: a number that moves forward with every committed write a page could show.

Three kinds, all moved in the writing transaction (so a reader sees the new data
and the new version together, or neither):

- a community's version, `enrolments.data_version` on each of its enrolments,
  when the transaction wrote rows of that one community only, in its own context
  (its members, or staff acting in it);
- a cohort's version, the `cohort:<programme id>` row of `data_versions`, moved
  with the version of each community enrolled in the programme: a cohort page
  reads one row instead of adding up the versions of every enrolled community;
- the platform's version, the `global` row of `data_versions`, for everything
  else: programmes, stages, courses, events, people, rows of several communities
  at once, a community's rows written by its programme's organisation (which may
  not write the community's enrolments with other organisations), a bulk
  statement whose rows cannot be told, and every enrolment or community created
  elsewhere than in its own context, or deleted, since that changes who a cohort shows.

Tenant isolation is what makes this enough: a community's page reads only that
community's rows and the platform's, and a cohort only its enrolled communities'
rows and the platform's.

A model whose rows no cached page shows (sessions, the audit log, notifications,
job records) says `__data_version__ = False`; its writes move nothing. Every other
model counts, including those a plugin adds, so forgetting costs cache hits, never
correctness.

The versions are moved in `before_commit`, after the last flush, so the row locks
they take are held only while the transaction commits, and the transaction waits
for nothing else once it holds them. A transaction takes them in one order (its
community's enrolments, then its cohorts by programme id), so two never deadlock.
An enrolment does not move to another programme (an ORM write that moves one
moves the platform's version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from sqlalchemy import BigInteger, String, bindparam, event, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from hromada import tenancy
from hromada.extensions import db
from hromada.tenancy import SharedWithOrganisation, Tenant, TenantOwned

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


def cohort_name(programme_id: int) -> str:
    return f"cohort:{programme_id}"


def cohort_version():
    """The version of the cohort named by the `cohort` parameter (`cohort_name(programme id)`), as a
    scalar subquery to add to a page's first query."""
    return select(DataVersion.version).where(DataVersion.name == bindparam("cohort")).scalar_subquery()


class CohortPlace:
    """Mixin that marks the model of a community's place in a cohort: the communities module's `Enrolment`.

    Each row carries the community's version (`data_version`) for one cohort (`programme_id`);
    creating, deleting or moving one changes who the cohort shows. Caching finds the model
    through this mixin, since the modules build on caching and not the other way round.
    """


@lru_cache(maxsize=1)
def _cohort_place_model() -> type:
    # Looked up at the first commit that moves a community's version, once every model is imported.
    (model,) = (mapper.class_ for mapper in db.Model.registry.mappers if issubclass(mapper.class_, CohortPlace))
    return model


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
    for instance in chain(session.new, session.dirty, session.deleted):
        if not _counts(type(instance)):
            continue
        if instance in session.dirty and not session.is_modified(instance, include_collections=False):
            continue
        touched = _touched(session)
        if _changes_a_cohort(session, instance):
            touched.everything = True
            continue
        # Read from the loaded state: a deleted row's expired attribute cannot be loaded again.
        loaded = inspect(instance).dict
        if isinstance(instance, (TenantOwned, SharedWithOrganisation)):
            tenant_id = loaded.get("tenant_id")
        elif isinstance(instance, Tenant):
            tenant_id = loaded.get("id")
        else:  # memberships (a person's rows in several communities) and everything not a community's
            tenant_id = None
        if tenant_id is None:
            touched.everything = True
        else:
            touched.tenants.add(tenant_id)


def _changes_a_cohort(session: Session, instance) -> bool:
    """Whether writing `instance` changes which communities a cohort shows.

    A community's own context may enrol it (its enrolments, the new one included, move
    their cohorts' versions), but a deletion or a move leaves no row behind to move.
    """
    if not isinstance(instance, (Tenant, CohortPlace)):
        return False
    if instance in session.deleted:
        return True
    return isinstance(instance, CohortPlace) and bool(inspect(instance).attrs.programme_id.history.deleted)


def _note_statement(state) -> None:
    """A bulk INSERT, UPDATE or DELETE: its rows are not known, only the context that runs it."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    written = _written_model(state)
    if written is not None and not _counts(written):
        return
    # Only a statement on the model itself passes the ORM wall; one on its table does not (on SQLite
    # nothing else stops it), so its rows could be any community's.
    model = state.bind_mapper.class_ if state.bind_mapper is not None else None
    context = tenancy.current()
    one_community = (
        model is not None and issubclass(model, (TenantOwned, SharedWithOrganisation))
        and not (state.is_delete and issubclass(model, (Tenant, CohortPlace)))
        and context.tenant_id is not None and context.organisation_id is None
        and not context.reader_tenants and not context.system
    )
    touched = _touched(state.session)
    if one_community:
        # Both walls let this context write only its own community's rows.
        touched.tenants.add(context.tenant_id)
    else:
        touched.everything = True


def _written_model(state) -> type | None:
    """The model a bulk statement writes, whether it names the model or only its table (as the audit
    log's INSERT does); None: unknown."""
    if state.bind_mapper is not None:
        return state.bind_mapper.class_
    return _models_by_table().get(getattr(state.statement, "table", None))


@lru_cache(maxsize=1)
def _models_by_table() -> dict:
    # Built at the first bulk statement, once the app has imported every plugin's models; a table
    # mapped later is unknown here, which only costs cache hits (its writes move the platform's version).
    return {mapper.local_table: mapper.class_ for mapper in db.Model.registry.mappers}


def _move_versions(session: Session) -> None:
    """Before the commit: move the versions of what this transaction wrote."""
    session.flush()  # what is still pending is part of this transaction too
    touched: Touched | None = session.info.pop(_TOUCHED, None)
    if touched is None:
        return
    context = tenancy.current()
    connection = session.connection()  # Core statements: they pass no ORM event, so they move nothing again
    if not touched.everything and len(touched.tenants) == 1 and (
            context.system or touched.tenants == {context.tenant_id}):
        # The community's own context (or the system) may write every enrolment of the community.
        (tenant_id,) = touched.tenants
        enrolments = _cohort_place_model().__table__
        programmes = connection.execute(
            update(enrolments).where(enrolments.c.tenant_id == tenant_id)
            .values(data_version=enrolments.c.data_version + 1).returning(enrolments.c.programme_id)
        ).scalars().all()
        for programme_id in sorted(set(programmes)):
            connection.execute(_move_version(connection.dialect.name), {"name": cohort_name(programme_id)})
    elif touched.everything or touched.tenants:
        # Staff writing for a community may not write its enrolments with other organisations,
        # whose pages could show the change too: the platform's version covers them all.
        connection.execute(_move_version(connection.dialect.name), {"name": PLATFORM})


@lru_cache(maxsize=2)
def _move_version(dialect: str):
    """version + 1 of the row named `:name`, creating it if it is missing (a cohort's first write,
    or a database emptied by hand or by a test)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = DataVersion.__table__
    statement = insert(table).values(name=bindparam("name"), version=1)
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
