"""The civic course in the demo: Night Bakers Collective found two problems in its district, ranked them, and
adopted a change map for the first, whose plan has actions done and one overdue, and shared its summary under
its name with the other communities of the programme; a second map is a draft. A
strategic session on the adopted map agreed who meets the property office and added an action to the plan. One
member is on an internship placement at a town hall abroad, keeping a logbook. The members discuss the draft map
in its comments.

Fictional text written for the demo; dates relative to the day it is loaded.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from hromada.plugin_api import (
    ActionPlan,
    ActionStatus,
    DecisionMethod,
    Programme,
    PlanRefused,
    Proposal,
    add_action,
    add_milestone,
    db,
    decision_fingerprint,
    tenancy_scope,
    utc_now,
    utc_today,
)
from hromada_civic_course.internships.models import (
    ApplicationStatus,
    HostOrganisation,
    InternshipApplication,
    LogbookEntry,
    Placement,
)
from hromada_civic_course.maps import sharing, versions
from hromada_civic_course.maps.models import ChangeMap, ChangeMapVersion, MapComment, MapShare, Stakeholder
from hromada_civic_course.maps.plan import plan_for, share_plan
from hromada_civic_course.meetings.models import Problem, ProblemDots, ProblemMeeting
from hromada_civic_course.sessions.models import SessionOutcome, StrategicSession
from hromada_civic_course.visibility import civic_programme

PROBLEMS = (
    ("No bakery open before six", "Night-shift workers find nothing to eat on their way home.",
     "Night-shift workers, nurses, bus drivers", "A survey of 40 neighbours at the tram stop", 4),
    ("The market hall stands empty at night", "A public building with a kitchen is locked twelve hours a day.",
     "Everyone in the district", "The district's own list of unused premises", 2),
)
STAKEHOLDERS = (("District council's property office", "decision_maker", 5, 2),
                ("Tram drivers' union", "ally", 3, 5), ("Market hall tenant", "opponent", 3, 4),
                ("Night-shift workers", "affected", 1, 5))
ACTIONS = ((0, "Collect signatures for a night counter", "drizhdzhi", -25, ActionStatus.DONE),
           (0, "Meet the property office", "khlibna", -4, ActionStatus.PLANNED),
           (1, "Bake for the first night market", "drizhdzhi", 20, ActionStatus.PLANNED),
           (1, "Tell the district paper", "khlibna", -10, ActionStatus.DONE))


def seed_civic_course(communities: dict, people: dict) -> None:
    community = communities.get("Night Bakers Collective")
    programme_id = civic_programme(community.id) if community else None
    if programme_id is None:
        return
    if not db.session.scalar(select(ProblemMeeting.id).where(ProblemMeeting.tenant_id == community.id)):
        _seed_collective(community, programme_id, people)
    _share_with_the_cohort(community.id)


def _share_with_the_cohort(community_id: int) -> None:
    """The collective's adopted map, shared under its name with the programme's other communities (once)."""
    with tenancy_scope(tenant_id=community_id), current_app.test_request_context():
        if db.session.scalar(select(MapShare.id).where(MapShare.tenant_id == community_id)):
            return
        version = db.session.scalars(select(ChangeMapVersion).where(
            ChangeMapVersion.tenant_id == community_id, ChangeMapVersion.adopted_at.is_not(None))
            .order_by(ChangeMapVersion.adopted_at.desc())).first()
        if version is not None:
            sharing.share(db.session.get(ChangeMap, version.map_id), version, named=True)


def _seed_collective(community, programme_id: int, people: dict) -> None:
    today = utc_today()
    with tenancy_scope(tenant_id=community.id), current_app.test_request_context():
        meeting = ProblemMeeting(tenant_id=community.id, programme_id=programme_id, held_on=today - timedelta(days=40),
                                 level="town", participants=17, facilitator="Tamara from the programme")
        db.session.add(meeting)
        db.session.flush()
        problems = []
        for title, wrong, affected, evidence, dots in PROBLEMS:
            problem = Problem(tenant_id=community.id, meeting_id=meeting.id, title=title, what_is_wrong=wrong,
                              who_is_affected=affected, evidence=evidence)
            db.session.add(problem)
            db.session.flush()
            problems.append((problem, dots))
        for handle, spread in (("khlibna", (2, 1)), ("drizhdzhi", (2, 1))):
            for (problem, _dots), count in zip(problems, spread):
                db.session.add(ProblemDots(tenant_id=community.id, problem_id=problem.id,
                                           user_id=people[handle].id, dots=count))
        adopted = ChangeMap(tenant_id=community.id, problem_id=problems[0][0].id, programme_id=programme_id,
                            goal="A night counter at the tram depot sells our bread from four in the morning.",
                            levels=["local"], tools=["petition", "campaign", "social_business"],
                            assumptions="The property office answers a petition with 200 signatures\n"
                                        "The tram drivers will tell their passengers")
        draft = ChangeMap(tenant_id=community.id, problem_id=problems[1][0].id, programme_id=programme_id,
                          goal="The market hall opens its kitchen to neighbours one night a week.",
                          levels=["local", "regional"], tools=["advocacy", "media"], assumptions="")
        db.session.add_all([adopted, draft])
        db.session.flush()
        for name, kind, influence, interest in STAKEHOLDERS:
            db.session.add(Stakeholder(tenant_id=community.id, map_id=adopted.id, name=name, kind=kind,
                                       influence=influence, interest=interest))
        db.session.flush()
        for change_map in (adopted, draft):
            plan_for(change_map)
        plan = db.session.get(ActionPlan, adopted.plan_id)
        milestones = [add_milestone(plan, title="Signatures and a meeting", due_on=today + timedelta(days=10)),
                      add_milestone(plan, title="A first night market", due_on=today + timedelta(days=45))]
        actions = {}
        for position, title, handle, due_in, status in ACTIONS:
            try:
                actions[title] = add_action(milestones[position], title=title, owner_id=people[handle].id,
                                            due_on=today + timedelta(days=due_in), status=status)
            except PlanRefused:
                continue
        db.session.flush()
        adopt(_frozen(adopted), programme_id)
        _strategic_session(adopted, programme_id, milestones, actions, people)
        programme = db.session.get(Programme, programme_id)
        _internship(community.id, programme, people["drizhdzhi"].id)
        # Nobody of the staff is assigned to the collective in the demo: its members discuss the draft.
        for handle, body in (("drizhdzhi", "Who in the market hall decides about the kitchen? Let us put them on "
                                           "the grid before we choose the tools."),
                             ("khlibna", "The hall's administrator, we think: we will ask at the next market day.")):
            if handle in people:
                db.session.add(MapComment(tenant_id=community.id, organisation_id=programme.organisation_id,
                                          map_id=draft.id, author_id=people[handle].id, body=body))
    db.session.flush()


def _frozen(change_map) -> ChangeMapVersion:
    """The map's first version, as `versions.freeze_map` makes it but without its commit (the command commits)."""
    content = versions.content_of(change_map)
    version = ChangeMapVersion(tenant_id=change_map.tenant_id, map_id=change_map.id, number=1,
                               text=versions.text_of(content), content=content,
                               fingerprint=versions.fingerprint(content), created_by_id=None)
    db.session.add(version)
    db.session.flush()
    return version


def adopt(version, programme_id: int | None) -> None:
    """The version adopted by a passed proposal the community shared with the programme, as if its members had
    decided (the demo's and the tests' shortcut; not committed)."""
    version.adopted_at = utc_now()
    share_plan(db.session.get(ChangeMap, version.map_id))
    db.session.add(Proposal(
        tenant_id=version.tenant_id, title="Adopt the change map", text=version.text,
        fingerprint=decision_fingerprint(version.text, str(version.id)), subject_type=versions.SUBJECT,
        subject_id=version.id, subject_version=str(version.id), programme_id=programme_id,
        method=DecisionMethod.CONSENT, electorate=2, opened_at=version.adopted_at,
        closes_at=version.adopted_at + timedelta(seconds=1), closed_at=version.adopted_at, passed=True,
        tally={"counts": {}, "participants": [], "explanation": "no_objection"}))


def _strategic_session(change_map, programme_id: int, milestones, actions, people) -> None:
    """A session twelve days ago on the adopted map: two outcomes about the plan, and an action it added."""
    today = utc_today()
    session = StrategicSession(tenant_id=change_map.tenant_id, programme_id=programme_id, map_id=change_map.id,
                               held_on=today - timedelta(days=12), facilitator="Tamara from the programme",
                               participants=8, summary="We went through the plan step by step and agreed who "
                                                       "speaks for the collective at the property office.")
    db.session.add(session)
    db.session.flush()
    meet = actions.get("Meet the property office")
    outcomes = [("Two of us go to the property office, with the signatures in a folder.", milestones[0], meet),
                ("The night market waits until the counter is agreed.", milestones[1], None)]
    try:
        flyer = add_action(milestones[1], title="Print a flyer for the tram stop", owner_id=people["drizhdzhi"].id,
                           due_on=today + timedelta(days=30))
        outcomes.append((flyer.title, milestones[1], flyer))
    except PlanRefused:
        pass
    for text, milestone, action in outcomes:
        db.session.add(SessionOutcome(tenant_id=change_map.tenant_id, session_id=session.id, text=text,
                                      milestone_id=milestone.id, action_id=action.id if action else None))


def _internship(community_id: int, programme, intern_id: int) -> None:
    """A placement that started ten days ago at a (fictional) town hall abroad; the member selected, two entries."""
    today = utc_today()
    host = HostOrganisation(organisation_id=programme.organisation_id, name="Town hall of Velmora",
                            kind="local_government", country="Ostrinel", languages="English, Ostrinelian")
    db.session.add(host)
    db.session.flush()
    placement = Placement(organisation_id=programme.organisation_id, programme_id=programme.id, host_id=host.id,
                          starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=20), places=2,
                          tasks="Shadow the youth council's secretary and help prepare two public hearings.",
                          language="English")
    db.session.add(placement)
    db.session.flush()
    application = InternshipApplication(
        tenant_id=community_id, organisation_id=programme.organisation_id, placement_id=placement.id,
        user_id=intern_id, motivation="I want to see how a town hall answers a petition from the inside.",
        languages="English", status=ApplicationStatus.SELECTED.value, decided_at=utc_now() - timedelta(days=30),
        agreement_on=today - timedelta(days=25),
        travel="Train on the first morning; the host's coordinator meets the intern at the station.")
    db.session.add(application)
    db.session.flush()
    for days_ago, text in ((8, "Sat in on the youth council: they vote with coloured cards, like our dots."),
                           (3, "Helped write the invitation to the first hearing; forty people signed up.")):
        db.session.add(LogbookEntry(tenant_id=community_id, organisation_id=programme.organisation_id,
                                    application_id=application.id, written_on=today - timedelta(days=days_ago),
                                    text=text))
