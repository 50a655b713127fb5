"""Master-key rotation and the key inventory, across every community (command line only).

Rotation re-wraps each community's data key under the current master key; the
sealed values themselves never change. It works in small batches, each committed
on its own, so it holds no long lock and can be stopped and run again: a key is
re-wrapped with a conditional update (still under the same old master key, still
not destroyed), so a key destroyed meanwhile stays destroyed and a key that another
run already re-wrapped is left alone. The app keeps working throughout, because
every process lists the old master key in HROMADA_PREVIOUS_MASTER_KEYS until the
rotation has finished.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, update

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.confidential.errors import Tampered
from hromada.modules.confidential.keys import Keyring, keyring
from hromada.modules.confidential.models import DataKey

DEFAULT_BATCH_SIZE = 100


@dataclass
class KeyInventory:
    """How many live data keys each master key wraps, and how many keys were destroyed."""

    current_id: str
    previous_ids: list[str]
    live: dict[str, int] = field(default_factory=dict)
    destroyed: int = 0

    def status_of(self, master_key_id: str) -> str:
        if master_key_id == self.current_id:
            return "current"
        if master_key_id in self.previous_ids:
            return "previous"
        return "unknown"

    @property
    def under_old_keys(self) -> int:
        return sum(count for key_id, count in self.live.items() if key_id != self.current_id)

    @property
    def under_unknown_keys(self) -> int:
        return sum(count for key_id, count in self.live.items() if self.status_of(key_id) == "unknown")


@dataclass
class RotationReport:
    rewrapped: int
    batches: int
    unreadable: int  # under a previous key, but the wrapped key fails authentication
    inventory: KeyInventory


def key_inventory(ring: Keyring | None = None) -> KeyInventory:
    ring = ring or keyring()
    with tenancy.system_scope():
        rows = db.session.execute(
            select(DataKey.master_key_id, func.count())
            .where(DataKey.destroyed_at.is_(None))
            .group_by(DataKey.master_key_id)
        ).all()
        destroyed = db.session.scalar(select(func.count()).select_from(DataKey).where(DataKey.destroyed_at.is_not(None)))
    return KeyInventory(
        current_id=ring.current.id,
        previous_ids=[key.id for key in ring.previous],
        live={key_id: count for key_id, count in rows},
        destroyed=destroyed or 0,
    )


def rotate_data_keys(batch_size: int = DEFAULT_BATCH_SIZE) -> RotationReport:
    """Re-wrap every live data key that is not under the current master key. Commits per batch."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    ring = keyring()
    current_id = ring.current.id
    rewrapped = batches = unreadable = 0
    last_id = 0
    with tenancy.system_scope():
        while True:
            rows = db.session.execute(
                select(DataKey.id, DataKey.tenant_id, DataKey.master_key_id, DataKey.wrapped_key)
                .where(DataKey.id > last_id, DataKey.master_key_id != current_id, DataKey.destroyed_at.is_(None))
                .order_by(DataKey.id)
                .limit(batch_size)
            ).all()
            if not rows:
                db.session.rollback()
                break
            for row in rows:
                last_id = row.id
                if not ring.knows(row.master_key_id):
                    continue  # reported by the inventory: the operator must supply that key
                try:
                    data_key = ring.unwrap(row.wrapped_key, row.master_key_id, row.tenant_id)
                except Tampered:
                    unreadable += 1
                    continue
                wrapped, _ = ring.wrap(data_key, row.tenant_id)
                result = db.session.execute(
                    update(DataKey)
                    .where(
                        DataKey.id == row.id,
                        DataKey.master_key_id == row.master_key_id,
                        DataKey.destroyed_at.is_(None),
                    )
                    .values(wrapped_key=wrapped, master_key_id=current_id)
                    .execution_options(synchronize_session=False)
                )
                rewrapped += result.rowcount
            db.session.commit()
            batches += 1
        if rewrapped:
            from hromada.modules.audit.log import record

            record("master_key_rotated", master_key_id=current_id, rewrapped=rewrapped, commit=True)
    return RotationReport(rewrapped=rewrapped, batches=batches, unreadable=unreadable, inventory=key_inventory(ring))
