"""The manifesto as a subject of the community's decisions: one revision, adopted when the proposal passes."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from hromada.plugin_api import DecisionSubject, FrozenText, db, record_audit, utc_now
from hromada.plugin_api import lazy_gettext as _l
from hromada_accelerator.manifesto.models import ManifestoRevision
from hromada_accelerator.manifesto.revisions import SUBJECT


def _revision(revision_id: int) -> ManifestoRevision | None:
    return db.session.scalars(select(ManifestoRevision).where(ManifestoRevision.id == revision_id)).one_or_none()


def freeze(revision_id: int) -> FrozenText | None:
    revision = _revision(revision_id)
    if revision is None:
        return None
    return FrozenText(_("The manifesto, revision %(number)s", number=revision.number), revision.text, str(revision.id))


def decided(revision_id: int, version: str, passed: bool) -> None:
    revision = _revision(int(version))
    if passed and revision is not None and revision.adopted_at is None:
        revision.adopted_at = utc_now()
        record_audit("accelerator.manifesto_adopted", community_id=revision.tenant_id, revision=revision.number)


MANIFESTO = DecisionSubject(SUBJECT, _l("The manifesto"), freeze=freeze, decided=decided,
                            endpoint="accelerator_manifesto.revision", id_argument="revision_id")
