"""The erase itself: every row of the community in every table, its key, its people's sessions and accounts.

The tables are found from the metadata (every table with a `tenant_id` column that the
database holds), so a plugin's new table is erased without a line here. Rows go children
first, in the metadata's dependency order, and each table's count goes on the certificate.
Runs as system work in one transaction (the job runner commits it with the job's run
record), and is idempotent: a second run finds the community gone and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import ARRAY, Integer, bindparam, delete, inspect, select, text, update

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, StaffMembership, User, UserSession
from hromada.modules.audit.log import record as record_audit
from hromada.modules.audit.models import AuditEvent
from hromada.modules.communities.models import Community
from hromada.modules.confidential.crypto import destroy_data_key
from hromada.modules.erasure.models import EraseCertificate, EraseRequest
from hromada.modules.notifications.models import Notification

TENANT_COLUMN = "tenant_id"


def tenant_tables() -> list:
    """Every table of the database with a community's rows, children before their parents."""
    existing = set(inspect(db.session.connection()).get_table_names())
    return [table for table in reversed(db.metadata.sorted_tables)
            if TENANT_COLUMN in table.c and table.name in existing]


def due_requests() -> list[EraseRequest]:
    """Requests confirmed, not cancelled, whose grace has ended: system work."""
    return list(db.session.scalars(select(EraseRequest).where(
        EraseRequest.confirmed_at.is_not(None), EraseRequest.cancelled_at.is_(None), EraseRequest.erase_after <= now(),
    ).order_by(EraseRequest.erase_after)))


def erase_community(community_id: int) -> dict | None:
    """Erase the community if its request is due; returns what was deleted, or None."""
    with tenancy.system_scope():
        request = db.session.scalars(select(EraseRequest).where(
            EraseRequest.tenant_id == community_id, EraseRequest.confirmed_at.is_not(None),
            EraseRequest.cancelled_at.is_(None), EraseRequest.erase_after <= now(),
        )).one_or_none()
        if request is None:
            return None  # cancelled, not due yet, or erased already
        certificate = db.session.get(EraseCertificate, request.certificate_id)
        members = list(db.session.scalars(
            select(CommunityMembership.user_id).where(CommunityMembership.tenant_id == community_id)))

        # What must outlive the community (an operator's records) is taken aside by its module first.
        current_app.extensions["hromada.plugins"].hook.hromada_community_erasing(tenant_id=community_id)
        # The key next: from here no sealed value of the community can be opened, even from a copy.
        destroy_data_key(community_id)
        db.session.execute(delete(UserSession).where(UserSession.user_id.in_(members)))

        deleted: dict[str, int] = {}
        for table in tenant_tables():
            result = db.session.execute(delete(table).where(table.c[TENANT_COLUMN] == community_id))
            deleted[table.name] = result.rowcount
        db.session.expunge_all()  # every loaded row of the community is gone
        deleted[Community.__tablename__] = db.session.execute(
            delete(Community).where(Community.id == community_id).execution_options(synchronize_session=False)
        ).rowcount

        removed = _accounts_to_remove(members)
        # The log first: its entries name the accounts about to go (the owner's function clears them).
        _pseudonymise_audit(community_id, removed)
        if removed:
            db.session.execute(delete(User).where(User.id.in_(removed)).execution_options(synchronize_session=False))
        erased_at = now()
        db.session.execute(update(EraseCertificate).where(EraseCertificate.id == certificate.id).values(
            erased_at=erased_at, deleted_rows=deleted, accounts_removed=len(removed), key_destroyed=True,
            backups_expire_on=(erased_at + timedelta(days=current_app.config["HROMADA_BACKUP_RETENTION_DAYS"])).date(),
        ))
        # The one entry the log keeps of the community: its number, when, and how much, nobody's name.
        record_audit("erasure.completed", actor=None, community_id=community_id, rows=sum(deleted.values()),
                     accounts=len(removed))
        return {"rows": sum(deleted.values()), "accounts": len(removed)}


def _accounts_to_remove(members: list[int]) -> list[int]:
    """The accounts that belong to no other community nor organisation (nor are the platform admin).

    Their notifications are deleted and the rows that may forget them do; an account still named
    by a row that cannot lose it is kept, emptied and closed, and is not in the list returned.
    """
    if not members:
        return []
    others = select(CommunityMembership.user_id).where(CommunityMembership.user_id.in_(members))
    staff = select(StaffMembership.user_id).where(StaffMembership.user_id.in_(members))
    alone = list(db.session.scalars(select(User.id).where(
        User.id.in_(members), User.id.not_in(others), User.id.not_in(staff), User.is_platform_admin.is_(False))))
    if not alone:
        return []
    db.session.execute(delete(Notification).where(Notification.user_id.in_(alone)))
    kept = set()
    for table, column in _references_to_people():
        if table.name == AuditEvent.__tablename__:
            continue  # the owner's function clears these (the log refuses UPDATE to everyone else)
        if column.nullable:
            db.session.execute(update(table).where(column.in_(alone)).values({column.name: None}))
        elif not any(key.ondelete == "CASCADE" for key in column.foreign_keys):
            kept.update(db.session.scalars(select(column).where(column.in_(alone)).distinct()))
    removed = [user_id for user_id in alone if user_id not in kept]
    if kept:
        # Still named by a row that cannot lose them: the account stays, emptied and closed.
        db.session.execute(update(User).where(User.id.in_(kept)).values(
            email=None, display_name="", is_active=False).execution_options(synchronize_session=False))
    return removed


def _references_to_people():
    existing = set(inspect(db.session.connection()).get_table_names())
    for table in db.metadata.sorted_tables:
        if table.name not in existing or table.name == User.__tablename__:
            continue
        for column in table.c:
            if any(key.column.table.name == User.__tablename__ for key in column.foreign_keys):
                yield table, column


def _pseudonymise_audit(community_id: int, people: list[int]) -> None:
    """Entries about the community lose their person and details; entries of removed accounts, their person."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT public.hromada_pseudonymise_audit(:community, :people)").bindparams(
            bindparam("people", type_=ARRAY(Integer))), {"community": community_id, "people": people})
        return
    events = AuditEvent.__table__
    db.session.execute(update(events).where(events.c.community_id == community_id).values(actor_id=None, details={}))
    if people:
        db.session.execute(update(events).where(events.c.actor_id.in_(people)).values(actor_id=None))
