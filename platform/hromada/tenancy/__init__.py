"""Tenant isolation: whose data a request, a job or a command may touch.

The community is the tenant. Two walls keep one community's data from another:

1. the ORM wall (`hromada.tenancy.orm`): every ORM query on a tenant-owned
   model is filtered to the tenants of the current context, and new rows take
   their `tenant_id` from the context, never from input;
2. PostgreSQL row-level security (`hromada.tenancy.rls`): the same rule in the
   database, set per transaction with `set_config(..., true)`, so a query that
   forgets to filter, or raw SQL, still sees nothing of another tenant.

With no context set, both walls deny everything.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

from flask import g, has_app_context, has_request_context
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column


class TenantViolation(RuntimeError):
    """Code tried to write a row of a tenant other than the current one."""


@dataclass(frozen=True)
class TenancyContext:
    """Which rows the current unit of work may see and write.

    `tenant_id`: the community acted as or for; its rows can be read and written.
    `reader_tenants`: communities staff may read (never write) through their
    organisation's programmes, set only by explicit, audited staff queries.
    `organisation_id`: the operator organisation acted for; it reads and writes
    the rows it shares with communities (enrolments and assignments).
    `user_id`: the signed-in person, who always sees their own memberships.
    `system`: maintenance by a command-line tool, never by a web request.
    `platform_admin`: the platform admin on a page only they may open (`@requires` with the
    `is_platform_admin` rule): the database then shows them the whole audit log.
    `credential_user`: whose password hash the database may hand out or take, for the one
    statement that checks or sets it (`hromada.modules.accounts.passwords`); never anyone's otherwise.
    """

    tenant_id: int | None = None
    reader_tenants: frozenset[int] = field(default_factory=frozenset)
    organisation_id: int | None = None
    user_id: int | None = None
    system: bool = False
    platform_admin: bool = False
    credential_user: int | None = None

    def readable_tenants(self) -> list[int]:
        ids = set(self.reader_tenants)
        if self.tenant_id is not None:
            ids.add(self.tenant_id)
        return sorted(ids)


EMPTY = TenancyContext()


def current() -> TenancyContext:
    if not has_app_context():
        return EMPTY
    return g.get("hromada_tenancy", EMPTY)


def _set(context: TenancyContext) -> None:
    if context == current():
        return
    g.hromada_tenancy = context
    from hromada.tenancy.orm import apply_to_open_transaction

    apply_to_open_transaction(context)


def set_tenant(tenant_id: int | None) -> None:
    """Act as (or for) community `tenant_id` for the rest of this request or job."""
    _set(replace(current(), tenant_id=tenant_id))


def set_organisation(organisation_id: int | None) -> None:
    _set(replace(current(), organisation_id=organisation_id))


def set_user(user_id: int | None) -> None:
    _set(replace(current(), user_id=user_id))


def act_as_platform_admin() -> None:
    """The platform admin's own pages: set by `@requires` once the rule has let them in."""
    _set(replace(current(), platform_admin=True))


def allow_reading(tenant_ids: Iterable[int]) -> None:
    """Let staff read these communities' rows. Callers audit the read."""
    _set(replace(current(), reader_tenants=frozenset(tenant_ids)))


@contextmanager
def scope(**changes) -> Iterator[TenancyContext]:
    """Change the context inside a block, restoring it afterwards."""
    before = current()
    context = replace(before, **changes)
    _set(context)
    try:
        yield context
    finally:
        _set(before)


@contextmanager
def system_scope() -> Iterator[TenancyContext]:
    """Maintenance across tenants (demo data, key rotation): command line and jobs only."""
    if has_request_context():
        raise TenantViolation("A web request may never act across tenants.")
    with scope(system=True) as context:
        yield context


class Tenant:
    """Mixin that marks the model whose rows are the tenants themselves: the communities module's `Community`.

    A row's `id` is its tenant id. The ORM wall shows such a row only to a context that
    reads that tenant; it finds the model through this mixin, since the modules build on
    tenancy and not the other way round. One model only.
    """


class _TenantColumn:
    tenant_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)


class TenantOwned(_TenantColumn):
    """Mixin for a table that holds one community's data.

    Its `tenant_id` is the community's id: required, indexed, and part of every
    unique constraint of the table (a schema test checks all three).
    """


class SharedWithOrganisation(_TenantColumn):
    """A community's row that the organisation running its programme also reads and writes.

    Only enrolments and staff assignments are shared this way: they are the
    link between an organisation and a community.
    """

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)


class MembershipRow(_TenantColumn):
    """A person's membership of a community: the community and the person both see it.

    Without this a person could not learn which communities they belong to
    before choosing one to act in.
    """

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class MembersOnly(_TenantColumn):
    """A community's row that only the community itself reads: never staff, not even in an audited read.

    Individual positions in a community's decisions are such rows. Staff reading the
    community (`reader_tenants`) see none of them, by the ORM wall and by row-level
    security (policy kind "members").
    """


TENANT_MIXINS = (TenantOwned, SharedWithOrganisation, MembershipRow, MembersOnly)


def is_tenant_owned(model: type) -> bool:
    return issubclass(model, TENANT_MIXINS)
