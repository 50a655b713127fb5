"""Saving the manifesto without losing anyone's words, and reading its revisions and its state."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hromada.plugin_api import db, latest_proposals_about
from hromada_accelerator.manifesto.models import ManifestoRevision
from hromada_accelerator import versions

SUBJECT = "accelerator.manifesto"
MAX_LENGTH = 50_000


class Conflict(Exception):
    """Someone saved a newer revision since the one this edit started from."""

    def __init__(self, latest: ManifestoRevision):
        super().__init__(f"revision {latest.number} was saved meanwhile")
        self.latest = latest


def latest_revision(community_id: int) -> ManifestoRevision | None:
    return db.session.scalars(
        select(ManifestoRevision).where(ManifestoRevision.tenant_id == community_id)
        .order_by(ManifestoRevision.number.desc()).limit(1)).first()


def save(community_id: int, text: str, based_on_id: int | None, author_id: int) -> ManifestoRevision | None:
    """A new revision from an edit of `based_on_id`; None if the text did not change. Commits.

    Raises Conflict when another revision was saved meanwhile, including at the same
    instant (the unique number refuses the second), so no edit is overwritten silently.
    """
    latest = latest_revision(community_id)
    if latest is None:
        based_on_id = None  # the first revision: there is nothing it could overwrite
    elif latest.id != based_on_id:
        raise Conflict(latest)
    if latest is not None and latest.text == text:
        return None
    revision = ManifestoRevision(tenant_id=community_id, number=(latest.number if latest else 0) + 1, text=text,
                                 based_on_id=based_on_id, author_id=author_id)
    db.session.add(revision)
    try:
        db.session.commit()
    except IntegrityError:  # another save took this number at the same instant
        db.session.rollback()
        raise Conflict(latest_revision(community_id)) from None
    return revision


def paragraphs(text: str) -> list[str]:
    """The paragraphs comments attach to: blocks separated by a blank line."""
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def adopted(community_id: int, programmes=None) -> ManifestoRevision | None:
    """The manifesto in force; for staff (`programmes`), one adopted by a decision shared with their programme."""
    return versions.adopted(ManifestoRevision, SUBJECT, community_id, programmes)


def publish(revision: ManifestoRevision) -> str:
    if revision.public_token is None:
        revision.public_token = secrets.token_urlsafe(18)
    return revision.public_token


# The states of the cohort column and the progress page.
NONE, DRAFT, IN_DECISION, ADOPTED = "none", "draft", "in_decision", "adopted"


def states(community_ids) -> dict[int, tuple[str, object]]:
    """{community id: (state, the open proposal or None)}: one query for the revisions, one more for the
    proposals about them when a community has a draft and nothing adopted yet, whatever the number of communities.

    Run in a context that reads those communities (the cohort's staff reading context).
    """
    community_ids = list(community_ids)
    result: dict[int, tuple[str, object]] = {community_id: (NONE, None) for community_id in community_ids}
    if not community_ids:
        return result
    revisions: dict[int, list[int]] = {}
    adopted_in: set[int] = set()
    for revision_id, community_id, adopted in db.session.execute(
            select(ManifestoRevision.id, ManifestoRevision.tenant_id, ManifestoRevision.adopted_at.is_not(None))
            .where(ManifestoRevision.tenant_id.in_(community_ids))):
        revisions.setdefault(community_id, []).append(revision_id)
        if adopted:
            adopted_in.add(community_id)
    owners = {revision_id: community_id for community_id, ids in revisions.items() if community_id not in adopted_in
              for revision_id in ids}
    open_proposals = {}
    for revision_id, proposal in latest_proposals_about(SUBJECT, owners).items():
        if not proposal.is_closed:
            open_proposals[owners[revision_id]] = proposal
    for community_id in community_ids:
        if community_id in adopted_in:
            result[community_id] = (ADOPTED, None)
        elif community_id in open_proposals:
            result[community_id] = (IN_DECISION, open_proposals[community_id])
        elif community_id in revisions:
            result[community_id] = (DRAFT, None)
    return result


def revision_count(community_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(ManifestoRevision)
                             .where(ManifestoRevision.tenant_id == community_id)) or 0
