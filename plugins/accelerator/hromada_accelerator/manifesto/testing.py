"""Test helpers of the manifesto: revisions written as the system would, and the isolation matrix's ids."""

from __future__ import annotations

from hromada.plugin_api import db, system_scope, utc_now
from hromada_accelerator.manifesto.models import ManifestoComment, ManifestoRevision


def add_revisions(community_id: int, author_id: int, *texts: str, adopted: bool = False) -> list[int]:
    """Revisions 1..n of `texts` (the last adopted if asked), with a comment on the last; committed; their ids."""
    with system_scope():
        ids, previous = [], None
        for number, text in enumerate(texts, start=1):
            revision = ManifestoRevision(tenant_id=community_id, number=number, text=text, based_on_id=previous,
                                         author_id=author_id)
            db.session.add(revision)
            db.session.flush()
            ids.append(previous := revision.id)
        revision.adopted_at = utc_now() if adopted else None
        db.session.add(ManifestoComment(tenant_id=community_id, revision_id=revision.id, paragraph=0,
                                        body=f"A comment on: {texts[-1][:30]}", author_id=author_id))
        db.session.commit()
    return ids


def matrix_arguments(world) -> dict:
    foreign = add_revisions(world.b.communities[0].id, world.b.people["member"].id,
                            "We bake bread secret-b1", "We bake bread together secret-b1")
    unreachable = add_revisions(world.a.communities[1].id, world.a.people["operator"].id,
                                "We read together secret-a2")
    return {"foreign": {"revision_id": foreign[-1]}, "unreachable": {"revision_id": unreachable[-1]}}
