"""Master keys: given to every process in the environment, never stored in the database.

A master key only wraps (encrypts) the communities' data keys. Its id is a
fingerprint, the first 8 hex digits of the SHA-256 of the key, stored next to
each wrapped key so that the right master key is picked during a rotation.
The fingerprint reveals nothing usable about the key.

Wrapping uses AES-256-GCM (not the AES key wrap of RFC 3394/5649) because GCM
authenticates associated data: a wrapped key is bound to its community's id, so
a wrapped key copied onto another community's row does not open. It is also the
same primitive, from the same library call, as the sealing of values, so there
is one construction to review. Each wrap draws a fresh random 96-bit nonce; a
master key wraps one key per community (and once more per rotation), far below
the 2^32 messages for which random GCM nonces are safe.
"""

from __future__ import annotations

import hashlib
import os
from typing import Iterable, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

from hromada.config import decode_master_key, master_key_list
from hromada.modules.confidential.errors import Tampered, WrongMasterKey

WRAP_VERSION = 1
NONCE_BYTES = 12
DATA_KEY_BYTES = 32
# version + nonce + encrypted key + GCM tag
WRAPPED_KEY_BYTES = 1 + NONCE_BYTES + DATA_KEY_BYTES + 16


def fingerprint(raw_key: bytes) -> str:
    return hashlib.sha256(raw_key).hexdigest()[:8]


class MasterKey:
    """One master key; its bytes stay inside the AESGCM object and out of every repr."""

    __slots__ = ("id", "_aead")

    def __init__(self, raw_key: bytes):
        self.id = fingerprint(raw_key)
        self._aead = AESGCM(raw_key)

    @classmethod
    def from_text(cls, text: str, name: str = "HROMADA_MASTER_KEY") -> MasterKey:
        return cls(decode_master_key(text, name))

    def __repr__(self) -> str:
        return f"<MasterKey {self.id}>"


def _wrap_associated_data(version: int, tenant_id: int) -> bytes:
    return bytes([version]) + b"hromada data key\x00" + str(int(tenant_id)).encode("ascii")


class Keyring:
    """The current master key, which wraps every new or re-wrapped data key, and the
    previous ones, which only unwrap (listed while a rotation is under way)."""

    def __init__(self, current: MasterKey, previous: Iterable[MasterKey] = ()):
        self.current = current
        self.previous = tuple(key for key in previous if key.id != current.id)
        self._by_id = {key.id: key for key in (*reversed(self.previous), current)}

    @classmethod
    def from_config(cls, config: Mapping) -> Keyring:
        """Raises `ConfigurationError` (naming the variable, not the key) for a malformed key."""
        current = MasterKey.from_text(config["HROMADA_MASTER_KEY"], "HROMADA_MASTER_KEY")
        previous = [
            MasterKey.from_text(text, f"HROMADA_PREVIOUS_MASTER_KEYS (key {position})")
            for position, text in enumerate(master_key_list(config.get("HROMADA_PREVIOUS_MASTER_KEYS")), start=1)
        ]
        return cls(current, previous)

    def ids(self) -> list[str]:
        return [self.current.id, *(key.id for key in self.previous)]

    def knows(self, master_key_id: str) -> bool:
        return master_key_id in self._by_id

    def wrap(self, data_key: bytes, tenant_id: int) -> tuple[bytes, str]:
        """Wrap `data_key` for community `tenant_id` under the current master key: (blob, master key id)."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.current._aead.encrypt(nonce, data_key, _wrap_associated_data(WRAP_VERSION, tenant_id))
        return bytes([WRAP_VERSION]) + nonce + sealed, self.current.id

    def unwrap(self, wrapped: bytes, master_key_id: str, tenant_id: int) -> bytes:
        """The data key of community `tenant_id`; `WrongMasterKey` or `Tampered` otherwise."""
        master_key = self._by_id.get(master_key_id)
        if master_key is None:
            raise WrongMasterKey()
        wrapped = bytes(wrapped)
        if len(wrapped) != WRAPPED_KEY_BYTES or wrapped[0] != WRAP_VERSION:
            raise Tampered()
        nonce, sealed = wrapped[1 : 1 + NONCE_BYTES], wrapped[1 + NONCE_BYTES :]
        try:
            return master_key._aead.decrypt(nonce, sealed, _wrap_associated_data(wrapped[0], tenant_id))
        except InvalidTag:
            # The id matched, so the key is right: the wrapped key itself was altered or moved.
            raise Tampered() from None


    def seal_under_master(self, plaintext: bytes, associated_data: bytes) -> tuple[bytes, str]:
        """Encrypt a small per-person secret (a TOTP secret) directly under the current master key.

        For secrets that belong to no community, so no community's data key fits. The same
        construction as a wrap; `associated_data` binds the value to its owner and purpose.
        """
        nonce = os.urandom(NONCE_BYTES)
        return bytes([WRAP_VERSION]) + nonce + self.current._aead.encrypt(nonce, plaintext, associated_data), \
            self.current.id

    def open_under_master(self, blob: bytes, master_key_id: str, associated_data: bytes) -> bytes:
        """What `seal_under_master` sealed; `WrongMasterKey` or `Tampered` otherwise."""
        master_key = self._by_id.get(master_key_id)
        if master_key is None:
            raise WrongMasterKey()
        blob = bytes(blob)
        if len(blob) < 1 + NONCE_BYTES + 16 or blob[0] != WRAP_VERSION:
            raise Tampered()
        try:
            return master_key._aead.decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], associated_data)
        except InvalidTag:
            raise Tampered() from None


def keyring() -> Keyring:
    """The keyring of the current app (built when the app starts)."""
    return current_app.extensions["hromada.keyring"]
