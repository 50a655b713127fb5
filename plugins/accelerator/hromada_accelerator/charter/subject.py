"""The charter as a subject of the community's decisions: a frozen version, adopted when the proposal passes."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from hromada.plugin_api import DecisionSubject, FrozenText, db, record_audit, utc_now
from hromada.plugin_api import lazy_gettext as _l
from hromada_accelerator.charter.draft import SUBJECT
from hromada_accelerator.charter.models import CharterVersion


def _version(version_id: int) -> CharterVersion | None:
    # The current context is the community's: another community's version is not found.
    return db.session.scalars(select(CharterVersion).where(CharterVersion.id == version_id)).one_or_none()


def freeze(version_id: int) -> FrozenText | None:
    version = _version(version_id)
    if version is None:
        return None
    return FrozenText(_("The charter, version %(number)s", number=version.number), version.text, str(version.id))


def decided(version_id: int, version: str, passed: bool) -> None:
    charter = _version(int(version))
    if passed and charter is not None and charter.adopted_at is None:
        charter.adopted_at = utc_now()
        record_audit("accelerator.charter_adopted", community_id=charter.tenant_id, version=charter.number)


CHARTER = DecisionSubject(SUBJECT, _l("The charter"), freeze=freeze, decided=decided,
                          endpoint="accelerator_charter.version", id_argument="version_id")
