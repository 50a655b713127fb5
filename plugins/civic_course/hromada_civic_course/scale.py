"""The civic course's rows in the generated scale data (`flask --app hromada demo --scale N`).

Every community now in a civic course stage, and the showcase community whose pages
are measured (its rows are its members' own, made outside the stage), held a
problem-finding meeting that found a few problems ranked by its members' dots, and drew
a change map from the first with stakeholders and an action plan; half of the maps are
adopted, and each adopted map had a strategic session; those of communities in the stage are shared
with their cohort. Bulk INSERTs only; invented words.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from hromada.plugin_api import Action, ActionPlan, ActionStatus, Milestone, db
from hromada_civic_course.maps import versions
from hromada_civic_course.maps.models import ChangeMap, ChangeMapVersion, MapShare, Stakeholder
from hromada_civic_course.maps.plan import OWNER
from hromada_civic_course.meetings.models import DOTS_PER_MEMBER, Problem, ProblemDots, ProblemMeeting
from hromada_civic_course.sessions.models import SessionOutcome, StrategicSession
from hromada_civic_course.visibility import STAGE_TYPE

PROBLEMS = ("No light in the underpass", "The bus stops at nine", "The river bank is fenced off",
            "No room to meet in winter", "The playground is broken")
GOALS = ("The underpass is lit every night", "A night bus runs through the district",
         "The river bank opens to everyone", "The school lends its hall on Sundays", "The playground is repaired")
STAKEHOLDERS = (("District council", "decision_maker", 5, 2), ("Residents' association", "ally", 3, 5),
                ("Property office", "opponent", 4, 3))
MILESTONES = ("Signatures collected", "A meeting with the council")
ACTIONS = ("Print the petition", "Knock on every door", "Write to the council", "Prepare the talk")


def seed_scale(scale) -> None:
    chosen = [c for c in scale.communities if c.stage_type == STAGE_TYPE and c.member_ids]
    if scale.showcase.tenant_id not in {c.tenant_id for c in chosen} and scale.showcase.member_ids:
        chosen.append(scale.showcase)
    rng, today = scale.rng, scale.now.date()

    def in_stage(community):
        return community.programme_id if community.stage_type == STAGE_TYPE else None

    meetings = scale.insert(ProblemMeeting, [{
        "tenant_id": c.tenant_id, "programme_id": in_stage(c), "held_on": today - timedelta(days=rng.randint(20, 50)),
        "level": rng.choice(("town", "region")), "participants": rng.randint(5, 40), "facilitator": "",
    } for c in chosen])
    problem_rows, owners = [], []
    for community, meeting_id in zip(chosen, meetings):
        for title in rng.sample(PROBLEMS, 3):
            problem_rows.append({"tenant_id": community.tenant_id, "meeting_id": meeting_id, "title": title,
                                 "what_is_wrong": "Neighbours told us at the meeting.", "who_is_affected": "Residents",
                                 "evidence": "Notes of the meeting"})
            owners.append(community)
    problems = scale.insert(Problem, problem_rows)
    dots = []
    for index, community in enumerate(chosen):
        mine = problems[index * 3:index * 3 + 3]
        for user_id in community.member_ids:
            spread = rng.sample(mine, rng.randint(1, 2))
            for problem_id in spread:  # never more than a member's dots
                dots.append({"tenant_id": community.tenant_id, "problem_id": problem_id, "user_id": user_id,
                             "dots": DOTS_PER_MEMBER // len(spread)})
    scale.insert(ProblemDots, dots, returning=False)
    maps = scale.insert(ChangeMap, [{
        "tenant_id": c.tenant_id, "problem_id": problems[index * 3], "programme_id": in_stage(c),
        "goal": rng.choice(GOALS), "levels": ["local"], "tools": rng.sample(("petition", "campaign", "media"), 2),
        "assumptions": "The council answers a petition", "plan_id": None,
    } for index, c in enumerate(chosen)])
    adopted = [index % 2 == 0 or c is scale.showcase for index, c in enumerate(chosen)]
    plans = scale.insert(ActionPlan, [{
        "tenant_id": c.tenant_id, "owner_type": OWNER, "owner_id": map_id, "title": "Action plan of the change map",
        "programme_id": in_stage(c) if is_adopted else None, "created_at": scale.now,
    } for c, map_id, is_adopted in zip(chosen, maps, adopted)])
    db.session.execute(update(ChangeMap), [{"id": map_id, "plan_id": plan_id} for map_id, plan_id in zip(maps, plans)])
    scale.insert(Stakeholder, [{"tenant_id": c.tenant_id, "map_id": map_id, "name": name, "kind": kind,
                                "influence": influence, "interest": interest}
                               for c, map_id in zip(chosen, maps) for name, kind, influence, interest in STAKEHOLDERS],
                 returning=False)
    milestone_rows = [{"tenant_id": c.tenant_id, "plan_id": plan_id, "title": title, "position": position,
                       "due_on": today + timedelta(days=15 * position)}
                      for c, plan_id in zip(chosen, plans) for position, title in enumerate(MILESTONES, start=1)]
    milestones = scale.insert(Milestone, milestone_rows)
    action_rows = []
    for milestone_id, row in zip(milestones, milestone_rows):
        for offset, title in enumerate(ACTIONS[(row["position"] - 1) * 2:row["position"] * 2]):
            action_rows.append({"tenant_id": row["tenant_id"], "milestone_id": milestone_id, "title": title,
                                "owner_id": None, "role": "", "due_on": today + timedelta(days=rng.randint(-10, 30)),
                                "status": rng.choice((ActionStatus.DONE, ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)),
                                "result": "", "evidence": "", "updated_at": scale.now, "starts_on": None})
    scale.insert(Action, action_rows, returning=False)
    version_rows, session_rows = [], []
    for index, (community, map_id, is_adopted) in enumerate(zip(chosen, maps, adopted)):
        if not is_adopted:
            continue
        content = {"problem": problem_rows[index * 3]["title"], "goal": GOALS[0], "levels": ["local"], "tools": [],
                   "assumptions": [], "stakeholders": []}
        version_rows.append({"tenant_id": community.tenant_id, "map_id": map_id, "number": 1,
                             "text": f"## {content['problem']}\n\n{content['goal']}", "content": content,
                             "fingerprint": versions.fingerprint(content), "created_by_id": None,
                             "created_at": scale.now - timedelta(days=12), "adopted_at": scale.now - timedelta(days=10)})
        session_rows.append({"tenant_id": community.tenant_id, "programme_id": in_stage(community), "map_id": map_id,
                             "held_on": today - timedelta(days=rng.randint(1, 9)), "facilitator": "",
                             "participants": rng.randint(4, 15), "summary": "We went through the plan."})
    version_ids = scale.insert(ChangeMapVersion, version_rows)
    # Every adopted map made in a programme is shared with its cohort, every other one anonymously.
    scale.insert(MapShare, [{
        "tenant_id": row["tenant_id"], "map_id": row["map_id"], "version_id": version_id,
        "programme_id": session["programme_id"], "shown_as": None if index % 2 else "A community at scale",
        "goal": GOALS[0], "levels": ["local"], "shared_at": scale.now - timedelta(days=5),
        "summary": {"done": 1, "total": 4, "overdue": 1, "milestones": [
            {"title": title, "done": 1 - position, "total": 2} for position, title in enumerate(MILESTONES)]},
    } for index, (row, version_id, session) in enumerate(zip(version_rows, version_ids, session_rows))
        if session["programme_id"] is not None], returning=False)
    sessions = scale.insert(StrategicSession, session_rows)
    scale.insert(SessionOutcome, [{"tenant_id": row["tenant_id"], "session_id": session_id, "text": text,
                                   "milestone_id": None, "action_id": None}
                                  for session_id, row in zip(sessions, session_rows)
                                  for text in ("Two of us meet the council", "The petition goes out in a week")],
                 returning=False)
    showcase = next((index for index, c in enumerate(chosen) if c is scale.showcase), None)
    if showcase is not None:
        scale.ids.update(meeting_id=meetings[showcase], map_id=maps[showcase], problem_id=problems[showcase * 3])
        if adopted[showcase]:
            scale.ids["session_id"] = sessions[sum(adopted[:showcase])]
