"""Test helpers of the erasure module: an erase asked for in side B's community, so its forms are found."""

from __future__ import annotations

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.erasure.models import EraseCertificate, EraseRequest
from hromada.modules.erasure.operations import token_hash


def ask_as_system(community_id: int, requested_by_id: int, token: str) -> EraseRequest:
    """An open request of `community_id` (tests only); committed."""
    with tenancy.system_scope():
        certificate = EraseCertificate(community_id=community_id, token_hash=token_hash(token), deleted_rows={},
                                       accounts_removed=0, key_destroyed=False)
        db.session.add(certificate)
        db.session.flush()
        request = EraseRequest(tenant_id=community_id, certificate_id=certificate.id,
                               requested_by_id=requested_by_id, requested_at=now())
        db.session.add(request)
        db.session.commit()
    return request


def matrix_arguments(world) -> dict:
    """The routes take no id of an erase: the request in B's community makes its confirm and cancel forms show."""
    ask_as_system(world.b.communities[0].id, world.b.people["coordinator"].id, "secret-b1-token")
    return {"foreign": {}, "unreachable": {}}
