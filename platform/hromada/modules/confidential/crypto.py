"""Confidential values, encrypted at rest under a per-community key: the API other modules use.

Seal a value before storing it, unseal it after loading it::

    from hromada.modules.confidential.crypto import seal, unseal, ConfidentialError

    # in the community's tenant context (a member's request, a job, tenancy.scope(...))
    note.private_notes_sealed = seal(form.private_notes.data, "consultations.private_notes")
    ...
    try:
        text = unseal(note.private_notes_sealed, "consultations.private_notes")
    except ConfidentialError as error:
        text = None
        flash(error.message)  # translated; never confidential

or let a model attribute do it (`SealedText`, below)::

    class Consultation(TenantOwned, db.Model):
        private_notes_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
        private_notes = SealedText("private_notes_sealed", purpose="consultations.private_notes")

    consultation.private_notes = "..."    # seals for consultation.tenant_id (or the current tenant)
    consultation.private_notes            # unseals; raises a ConfidentialError subclass

Rules of use:

- **Whose key.** `seal` and `unseal` use the data key of the current tenant
  (`tenancy.current().tenant_id`). Staff who read a community through
  `tenancy.allow_reading` (a mentor, an expert) pass `tenant_id=` explicitly; it must
  be a community the context may read (or the context is `system_scope`), otherwise
  `TenantViolation`. `SealedText` passes the row's own `tenant_id`.
- **Purpose.** A short constant naming the field, `"<module>.<field>"`. It is bound
  into the ciphertext with the community's id (AES-GCM associated data): a value
  copied into another community or another field is refused with `Tampered`. A value
  copied between two rows of the same community and field is not detected; bind the
  row yourself (e.g. put its id in the purpose) if that matters for your field.
- **Storage.** `seal` returns bytes: store them in a `LargeBinary` column. They are
  about 29 bytes longer than the UTF-8 text. You cannot search or sort on them.
- **Errors** (all `ConfidentialError`, each with a translatable `message` that holds
  nothing confidential): `KeyUnavailable` (the community's key was destroyed: its notes
  are gone for good), `WrongMasterKey` (the server is missing the master key that wraps
  this community's key: a configuration problem), `Tampered` (altered, truncated, or
  moved). Show `error.message`; do not log the value.
- **Transactions.** The community's data key is created on first `seal`, in the
  caller's transaction, so it is committed with the first sealed value (or rolled
  back with it). Nothing here commits.

The format of a sealed value: a version byte (1), a random 96-bit nonce, then the
AES-256-GCM ciphertext with its tag. Data keys are wrapped with AES-256-GCM too
(`keys.py` says why GCM rather than AES key wrap: it binds the community's id). The nonce belongs to the value, not to any
master key, so rotating the master key never touches sealed values: it only
re-wraps the data keys (`hromada.modules.confidential.rotation`).

Crypto-erase: `destroy_data_key(tenant_id)` overwrites the wrapped key and marks it
destroyed. Every value sealed for that community then raises `KeyUnavailable`, and
no new key is made for it.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from hromada import clock, tenancy
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.confidential.errors import ConfidentialError, KeyUnavailable, Tampered, WrongMasterKey
from hromada.modules.confidential.keys import DATA_KEY_BYTES, NONCE_BYTES, WRAPPED_KEY_BYTES, keyring
from hromada.modules.confidential.models import DataKey
from hromada.tenancy import TenantViolation

__all__ = [
    "seal",
    "unseal",
    "SealedText",
    "destroy_data_key",
    "ConfidentialError",
    "KeyUnavailable",
    "WrongMasterKey",
    "Tampered",
]

SEAL_VERSION = 1
TAG_BYTES = 16
# What a destroyed key is overwritten with: same length, no information.
DESTROYED = bytes(WRAPPED_KEY_BYTES)

_CACHE = "hromada.confidential.data_keys"


def seal(plaintext: str, purpose: str, *, tenant_id: int | None = None) -> bytes:
    """Encrypt `plaintext` for the current community (or `tenant_id`) and the field `purpose`."""
    if not isinstance(plaintext, str):
        raise TypeError("seal() takes text (str).")
    tenant = _target_tenant(tenant_id)
    data_key = _data_key(tenant, create=True)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(
        nonce, plaintext.encode("utf-8"), _associated_data(SEAL_VERSION, tenant, purpose)
    )
    return bytes([SEAL_VERSION]) + nonce + ciphertext


def unseal(blob: bytes, purpose: str, *, tenant_id: int | None = None) -> str:
    """The text `seal` sealed for this community and `purpose`, or a `ConfidentialError`."""
    tenant = _target_tenant(tenant_id)
    _associated_data(SEAL_VERSION, tenant, purpose)  # check the purpose before anything else
    if not isinstance(blob, (bytes, bytearray, memoryview)):
        raise TypeError("unseal() takes the bytes seal() returned.")
    blob = bytes(blob)
    if len(blob) < 1 + NONCE_BYTES + TAG_BYTES or blob[0] != SEAL_VERSION:
        raise Tampered()
    data_key = _data_key(tenant, create=False)
    nonce, ciphertext = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        plaintext = AESGCM(data_key).decrypt(nonce, ciphertext, _associated_data(blob[0], tenant, purpose))
    except InvalidTag:
        raise Tampered() from None
    return plaintext.decode("utf-8")


class SealedText:
    """A model attribute that seals text into a `LargeBinary` column and unseals it on read.

    `SealedText("notes_sealed", purpose="consultations.private_notes")`: assigning a
    str seals it for the row's community (`tenant_id`, or the current tenant for a
    row not yet flushed); assigning None stores None. Reading unseals, and raises a
    `ConfidentialError` subclass when the value cannot be read.
    """

    def __init__(self, column: str, *, purpose: str):
        _check_purpose(purpose)
        self.column = column
        self.purpose = purpose

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        blob = getattr(instance, self.column)
        if blob is None:
            return None
        return unseal(blob, self.purpose, tenant_id=getattr(instance, "tenant_id", None))

    def __set__(self, instance, value):
        if value is None:
            setattr(instance, self.column, None)
            return
        setattr(instance, self.column, seal(value, self.purpose, tenant_id=getattr(instance, "tenant_id", None)))


def destroy_data_key(tenant_id: int) -> bool:
    """Crypto-erase: make every value sealed for community `tenant_id` unreadable, for good.

    Overwrites the wrapped key and sets `destroyed_at` (or, for a community that never
    had a key, leaves a destroyed one so that none is ever made). Audited as
    "community_key_destroyed". Runs in the caller's transaction, in that community's
    context or in `tenancy.system_scope()`. Returns False when the key was already destroyed.
    """
    context = tenancy.current()
    if not (context.system or context.tenant_id == tenant_id):
        raise TenantViolation("A community's key may only be destroyed in its own context or by a system command.")
    now = clock.now()
    result = db.session.execute(
        update(DataKey)
        .where(DataKey.tenant_id == tenant_id, DataKey.destroyed_at.is_(None))
        .values(wrapped_key=DESTROYED, destroyed_at=now)
        .execution_options(synchronize_session=False)
    )
    destroyed = result.rowcount == 1
    if not destroyed:
        destroyed = _insert_key(tenant_id, wrapped_key=DESTROYED, master_key_id="", destroyed_at=now)
    _cache().pop(tenant_id, None)
    if destroyed:
        from hromada.modules.audit.log import record

        record("community_key_destroyed", community_id=tenant_id)
    return destroyed


# --- Inside ----------------------------------------------------------------------


def _check_purpose(purpose: str) -> bytes:
    if not isinstance(purpose, str) or not purpose or "\x00" in purpose:
        raise ValueError("A purpose is a non-empty name of the field, such as 'consultations.private_notes'.")
    return purpose.encode("utf-8")


def _associated_data(version: int, tenant_id: int, purpose: str) -> bytes:
    # The tenant id is digits and the purpose has no NUL, so the encoding is unambiguous.
    return bytes([version]) + b"hromada sealed\x00" + str(int(tenant_id)).encode("ascii") + b"\x00" + _check_purpose(purpose)


def _target_tenant(tenant_id: int | None) -> int:
    context = tenancy.current()
    tenant = tenant_id if tenant_id is not None else context.tenant_id
    if tenant is None:
        raise TenantViolation("Sealing and unsealing need a current community (tenancy.set_tenant) or tenant_id=.")
    if not (context.system or tenant == context.tenant_id or tenant in context.reader_tenants):
        raise TenantViolation("That community's confidential values are outside the current context.")
    return tenant


def _cache() -> dict[int, bytes]:
    """Data keys unwrapped in the session's current transaction."""
    return db.session().info.setdefault(_CACHE, {})


@event.listens_for(Session, "after_transaction_end")
def _forget_data_keys(session, _transaction) -> None:
    # After a rollback the key made in it no longer exists, and after a commit another
    # process may have destroyed it: a key is trusted for one transaction only.
    session.info.pop(_CACHE, None)


def _data_key(tenant_id: int, *, create: bool) -> bytes:
    cache = _cache()
    if tenant_id in cache:
        return cache[tenant_id]
    row = _load_key(tenant_id)
    if row is None:
        if not create:
            # No key was ever made for this community, so nothing was sealed for it.
            raise Tampered()
        data_key = AESGCM.generate_key(bit_length=DATA_KEY_BYTES * 8)
        wrapped, master_key_id = keyring().wrap(data_key, tenant_id)
        _insert_key(tenant_id, wrapped_key=wrapped, master_key_id=master_key_id)
        # Another process may have made the key first: use whichever was stored.
        row = _load_key(tenant_id)
    if row.destroyed_at is not None:
        if create:
            raise KeyUnavailable(_l("This community's key was destroyed: nothing confidential can be saved for it."))
        raise KeyUnavailable()
    data_key = keyring().unwrap(row.wrapped_key, row.master_key_id, tenant_id)
    cache[tenant_id] = data_key
    return data_key


def _load_key(tenant_id: int):
    return db.session.execute(
        select(DataKey.wrapped_key, DataKey.master_key_id, DataKey.destroyed_at).where(DataKey.tenant_id == tenant_id)
    ).one_or_none()


def _insert_key(tenant_id: int, **values) -> bool:
    """Insert the community's key row unless it has one; True when this call inserted it."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    # RETURNING says whether a row was inserted (rowcount is not reliable for it on every driver).
    statement = (
        insert(DataKey.__table__)
        .values(tenant_id=tenant_id, **values)
        .on_conflict_do_nothing(index_elements=["tenant_id"])
        .returning(DataKey.__table__.c.id)
    )
    context = tenancy.current()
    if context.system or context.tenant_id == tenant_id:
        return db.session.execute(statement).first() is not None
    # Staff reading the community (checked by _target_tenant) may cause its key to be
    # made; the row-level policy lets only the community's own context write it.
    with tenancy.scope(tenant_id=tenant_id):
        return db.session.execute(statement).first() is not None
