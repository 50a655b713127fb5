"""The strategy as a subject of the community's decisions."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from hromada.plugin_api import DecisionSubject, FrozenText, db, record_audit, utc_now
from hromada.plugin_api import lazy_gettext as _l
from hromada_accelerator.strategy.draft import SUBJECT
from hromada_accelerator.strategy.models import StrategyVersion


def _version(version_id: int) -> StrategyVersion | None:
    return db.session.scalars(select(StrategyVersion).where(StrategyVersion.id == version_id)).one_or_none()


def freeze(version_id: int) -> FrozenText | None:
    version = _version(version_id)
    if version is None:
        return None
    return FrozenText(_("The strategy, version %(number)s", number=version.number), version.text, str(version.id))


def decided(version_id: int, version: str, passed: bool) -> None:
    strategy = _version(int(version))
    if passed and strategy is not None and strategy.adopted_at is None:
        strategy.adopted_at = utc_now()
        record_audit("accelerator.strategy_adopted", community_id=strategy.tenant_id, version=strategy.number)


STRATEGY = DecisionSubject(SUBJECT, _l("The strategy"), freeze=freeze, decided=decided,
                           endpoint="accelerator_strategy.version", id_argument="strategy_version_id")
