"""Sealing and unsealing private notes under the community's data key.

The key is the community's: staff, who only read the community, name it with
`tenant_id=` (the confidential module checks that the context may read it).
The plaintext never leaves these functions except to the page of a person
`access.Viewer.can_read_notes` allows; it is never logged, audited or put in an
error message.
"""

from __future__ import annotations

from hromada.modules.consultations.models import NOTES_PURPOSE


def seal_notes(community_id: int, text: str) -> bytes:
    from hromada.modules.confidential.crypto import seal

    return seal(text, NOTES_PURPOSE, tenant_id=community_id)


def unseal_notes(community_id: int, blob: bytes) -> str:
    """The notes' text; raises `hromada.modules.confidential.errors.ConfidentialError` with a safe message."""
    from hromada.modules.confidential.crypto import unseal

    return unseal(bytes(blob), NOTES_PURPOSE, tenant_id=community_id)
