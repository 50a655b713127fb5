"""Reading and freezing the strategy: the draft in three queries, and the versions a decision adopts."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from hromada.plugin_api import db, format_day
from hromada_accelerator import versions
from hromada_accelerator.strategy.models import StrategicGoal, StrategyDraft, StrategyVersion

SUBJECT = "accelerator.strategy"


def load(community_id: int) -> tuple[StrategyDraft | None, list[StrategicGoal]]:
    draft = db.session.scalars(select(StrategyDraft).where(StrategyDraft.tenant_id == community_id)).one_or_none()
    goals = db.session.scalars(select(StrategicGoal).where(StrategicGoal.tenant_id == community_id)
                               .order_by(StrategicGoal.target_on, StrategicGoal.id)).all()
    return draft, goals


def content_of(draft: StrategyDraft | None, goals: list[StrategicGoal]) -> dict:
    return {
        "vision": draft.vision if draft else "", "mission": draft.mission if draft else "",
        "goals": [{"title": goal.title, "result": goal.result, "target_on": goal.target_on.isoformat()}
                  for goal in goals],
    }


def text_of(content: dict) -> str:
    lines = [f"## {_('Vision')}", "", content["vision"], "", f"## {_('Mission')}", "", content["mission"], "",
             f"## {_('Strategic goals')}", ""]
    for goal in content["goals"]:
        lines.append(f"- **{goal['title']}** ({_('by %(date)s', date=format_day(goal['target_on']))}): {goal['result']}")
    return "\n".join(lines)


def freeze_draft(community_id: int, created_by_id: int) -> StrategyVersion:
    content = content_of(*load(community_id))
    return versions.freeze(StrategyVersion, community_id, content, text_of(content), created_by_id)


def adopted_version(community_id: int, programmes=None) -> StrategyVersion | None:
    return versions.adopted(StrategyVersion, SUBJECT, community_id, programmes)
