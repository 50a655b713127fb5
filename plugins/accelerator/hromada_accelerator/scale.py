"""The accelerator's rows in the generated scale data (`flask --app hromada demo --scale N`).

Every community now in an accelerator stage, and the showcase community whose pages
are measured, is writing its charter (values, the principles they lead to, rules
that follow from them), its strategy (vision, mission, strategic goals with a comment
from a member) and its manifesto (two revisions, a paragraph comment on the second).
They are drafts: what a community adopts goes through a decision, which the scale
data does not invent. Bulk INSERTs only; invented words.
"""

from __future__ import annotations

from datetime import timedelta

from hromada_accelerator.charter.models import CharterPrinciple, CharterRule, CharterRuleValue, CharterValue
from hromada_accelerator.manifesto.models import ManifestoComment, ManifestoRevision
from hromada_accelerator.strategy.models import StrategicGoal, StrategyComment, StrategyDraft

STAGE_TYPE = "accelerator"
VALUES = (("Openness", "We say what we do and why."), ("Care", "Nobody is left alone with a problem."),
          ("Courage", "We speak up for our street."), ("Trust", "We keep our word to each other."))
PRINCIPLES = ("Every decision is written down where all can read it.", "We ask before we act for others.")
RULES = ("Meetings are announced a week ahead.", "Money is spent only as the plan says.")
GOALS = (("A lit underpass", "Lamps burn every night of the year."),
         ("A room for the winter", "Neighbours meet warm from November to March."),
         ("Twenty new volunteers", "Twenty more people help once a month."))
MANIFESTO = ("We are neighbours who decided to look after our street together.\n\n"
             "We act openly, decide together and keep our word.")


def seed_scale(scale) -> None:
    chosen = [c for c in scale.communities if c.stage_type == STAGE_TYPE and c.member_ids]
    if scale.showcase.tenant_id not in {c.tenant_id for c in chosen} and scale.showcase.member_ids:
        chosen.append(scale.showcase)
    rng, today = scale.rng, scale.now.date()

    value_rows, principle_owners = [], []
    for community in chosen:
        for name, meaning in rng.sample(VALUES, 3):
            value_rows.append({"tenant_id": community.tenant_id, "name": name, "meaning": meaning,
                               "proposed_by_id": rng.choice(community.member_ids)})
            principle_owners.append(community.tenant_id)
    values = scale.insert(CharterValue, value_rows)
    scale.insert(CharterPrinciple, [{"tenant_id": tenant_id, "value_id": value_id,
                                     "statement": rng.choice(PRINCIPLES)}
                                    for tenant_id, value_id in zip(principle_owners, values)], returning=False)
    rules = scale.insert(CharterRule, [{"tenant_id": c.tenant_id, "text": text} for c in chosen for text in RULES])
    scale.insert(CharterRuleValue, [{"tenant_id": chosen[index // len(RULES)].tenant_id, "rule_id": rule_id,
                                     "value_id": values[(index // len(RULES)) * 3 + index % len(RULES)]}
                                    for index, rule_id in enumerate(rules)], returning=False)

    scale.insert(StrategyDraft, [{
        "tenant_id": c.tenant_id, "vision": "A street where every neighbour is heard.",
        "mission": "We bring neighbours together to change what they cannot change alone.",
        "updated_by_id": c.member_ids[0],
    } for c in chosen], returning=False)
    goals = scale.insert(StrategicGoal, [{
        "tenant_id": c.tenant_id, "title": title, "result": result,
        "target_on": today + timedelta(days=rng.randint(90, 360)), "created_by_id": rng.choice(c.member_ids),
    } for c in chosen for title, result in GOALS])
    scale.insert(StrategyComment, [{"tenant_id": c.tenant_id, "body": "Can we reach the third goal by summer?",
                                    "author_id": rng.choice(c.member_ids)} for c in chosen], returning=False)

    revisions = scale.insert(ManifestoRevision, [{
        "tenant_id": c.tenant_id, "number": number, "text": MANIFESTO if number == 2 else MANIFESTO.split("\n\n")[0],
        "author_id": rng.choice(c.member_ids),
    } for c in chosen for number in (1, 2)])
    scale.insert(ManifestoComment, [{"tenant_id": c.tenant_id, "revision_id": revisions[index * 2 + 1],
                                     "paragraph": 1, "body": "Say who we are before what we do.",
                                     "author_id": c.member_ids[0]} for index, c in enumerate(chosen)],
                 returning=False)
    if goals:
        scale.ids.setdefault("strategic_goal_id", goals[-1])
