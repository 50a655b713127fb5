"""Reading the charter: the draft in five queries, its frozen versions, and the gentle checks of deck 002."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hromada.plugin_api import DecisionRule, db
from hromada.plugin_api import lazy_gettext as _l
from hromada_accelerator import versions
from hromada_accelerator.charter.models import (
    CharterPrinciple,
    CharterRule,
    CharterRuleValue,
    CharterValue,
    CharterVersion,
    DecidingRule,
)

SUBJECT = "accelerator.charter"
DEFAULT_DECIDING = {"method": "consent", "quorum_percent": 0, "days": 7, "threshold_percent": 50}
METHOD_NAMES = {"consent": _l("consent"), "consensus": _l("consensus"), "vote": _l("majority vote")}

# Deck 002, "mistakes to avoid": shown to the community, never blocking.
ONE_VOICE = _l("All the values were put forward by one person. Values cannot be imposed: ask every member "
               "to find their own.")
NO_RULES = _l("There are values but no rules yet: work without rules leans on whoever is loudest.")
UNPROTECTED = _l("No rule protects this value yet.")


@dataclass
class Draft:
    values: list[CharterValue] = field(default_factory=list)
    principles: dict[int, list[CharterPrinciple]] = field(default_factory=dict)  # by value id
    rules: list[CharterRule] = field(default_factory=list)
    protects: dict[int, list[int]] = field(default_factory=dict)  # rule id -> value ids
    deciding: dict = field(default_factory=lambda: dict(DEFAULT_DECIDING))

    @property
    def protected(self) -> set[int]:
        return {value_id for value_ids in self.protects.values() for value_id in value_ids}

    def value_names(self, value_ids) -> list[str]:
        names = {value.id: value.name for value in self.values}
        return [names[value_id] for value_id in value_ids if value_id in names]

    def checks(self) -> list:
        found = []
        proposers = {value.proposed_by_id for value in self.values}
        if len(self.values) > 1 and len(proposers) == 1:
            found.append(ONE_VOICE)
        if self.values and not self.rules:
            found.append(NO_RULES)
        return found


def load_draft(community_id: int) -> Draft:
    draft = Draft()
    draft.values = db.session.scalars(
        # Who put each value forward, in one query however many people did.
        select(CharterValue).where(CharterValue.tenant_id == community_id).order_by(CharterValue.id)
        .options(selectinload(CharterValue.proposed_by))).all()
    for principle in db.session.scalars(
            select(CharterPrinciple).where(CharterPrinciple.tenant_id == community_id).order_by(CharterPrinciple.id)):
        draft.principles.setdefault(principle.value_id, []).append(principle)
    draft.rules = db.session.scalars(
        select(CharterRule).where(CharterRule.tenant_id == community_id).order_by(CharterRule.id)).all()
    for rule_id, value_id in db.session.execute(
            select(CharterRuleValue.rule_id, CharterRuleValue.value_id)
            .where(CharterRuleValue.tenant_id == community_id).order_by(CharterRuleValue.value_id)):
        draft.protects.setdefault(rule_id, []).append(value_id)
    deciding = db.session.scalars(select(DecidingRule).where(DecidingRule.tenant_id == community_id)).one_or_none()
    if deciding is not None:
        draft.deciding = {"method": deciding.method, "quorum_percent": deciding.quorum_percent,
                          "days": deciding.days, "threshold_percent": deciding.threshold_percent}
    return draft


def content_of(draft: Draft) -> dict:
    """The draft as data: what a version keeps, and what the app reads of an adopted one."""
    names = {value.id: value.name for value in draft.values}
    return {
        "values": [{"name": value.name, "meaning": value.meaning,
                    "principles": [p.statement for p in draft.principles.get(value.id, [])]} for value in draft.values],
        "rules": [{"text": rule.text, "protects": [names[v] for v in draft.protects.get(rule.id, []) if v in names]}
                  for rule in draft.rules],
        "how_we_decide": dict(draft.deciding),
    }


def text_of(content: dict) -> str:
    """The version as members read it (Markdown), in the language of the member who froze it."""
    lines = [f"## {_('Values')}", ""]
    for value in content["values"]:
        lines.append(f"- **{value['name']}**" + (f": {value['meaning']}" if value["meaning"] else ""))
        lines += [f"    - {statement}" for statement in value["principles"]]
    lines += ["", f"## {_('Rules')}", ""]
    for rule in content["rules"]:
        lines.append(f"- {rule['text']} ({_('protects: %(values)s', values=', '.join(rule['protects']))})")
    deciding = content["how_we_decide"]
    lines += ["", f"## {_('How we decide')}", "", describe(deciding)]
    return "\n".join(lines)


def describe(deciding: dict) -> str:
    sentence = _("By %(method)s; a proposal stays open for %(days)s days.", method=METHOD_NAMES[deciding["method"]],
                 days=deciding["days"])
    if deciding["method"] == "vote":
        sentence += " " + _("Quorum: %(quorum)s%% of the members; yes needs at least %(threshold)s%% of yes and no.",
                            quorum=deciding["quorum_percent"], threshold=deciding["threshold_percent"])
    return sentence


def freeze_draft(community_id: int, created_by_id: int) -> CharterVersion:
    """The draft as a version: the existing one if nothing changed since it was frozen (a double submit too)."""
    content = content_of(load_draft(community_id))
    return versions.freeze(CharterVersion, community_id, content, text_of(content), created_by_id)


def adopted_version(community_id: int, programmes=None) -> CharterVersion | None:
    return versions.adopted(CharterVersion, SUBJECT, community_id, programmes)


def deciding_rule(community_id: int) -> DecisionRule | None:
    """The adopted charter's rule "how we decide", which sets the defaults of the community's proposals."""
    version = adopted_version(community_id)
    if version is None:
        return None
    deciding = {**DEFAULT_DECIDING, **version.content.get("how_we_decide", {})}
    return DecisionRule(method=deciding["method"], quorum_percent=deciding["quorum_percent"], days=deciding["days"],
                        threshold_percent=deciding["threshold_percent"])
