"""The scale generator (`flask --app hromada demo --scale N`): the shape it promises, once, with invented names.

Runs on SQLite and PostgreSQL (the `app` fixture), where the app connects as
its own role under row-level security, as the benchmark does.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hromada import tenancy
from hromada.demo import scale
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership, StaffRole, User
from hromada.modules.communities.models import Community, Enrolment, StaffAssignment
from hromada.modules.organisations.models import Organisation
from hromada.modules.programmes.models import Programme, Stage

N = 24
NOW = datetime(2027, 6, 1, 12, tzinfo=timezone.utc)
# The seed documents live beside the repository (../shared/seeds); HROMADA_SEEDS_DIR points elsewhere.
SEEDS = Path(os.environ.get("HROMADA_SEEDS_DIR", Path(__file__).resolve().parents[2] / "shared" / "seeds"))


def count(model, *criteria) -> int:
    with tenancy.system_scope():
        return db.session.scalar(select(func.count()).select_from(model).where(*criteria))


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@pytest.fixture
def report(app):
    made = scale.generate(N, now=NOW)
    db.session.remove()
    return made


def test_the_generator_creates_the_promised_shape(app, report):
    stage_types = [key for key in scale.STAGE_TYPES if key in app.extensions["hromada.stage_types"]]
    assert len(stage_types) == 3  # the first-party plugins are loaded
    assert count(Organisation) == len(scale.ORGANISATION_WORDS) == 3
    assert count(Programme) == len(scale.PROGRAMMES)
    assert count(Stage) == len(scale.PROGRAMMES) * 3
    assert count(Community) == N
    # Every community in one programme; every twentieth also in another organisation's.
    second = len(range(0, N, scale.SECOND_ENROLMENT_EVERY))
    assert count(Enrolment) == N + second
    # Without a current stage: only those that left the programme (with the progress module).
    assert count(Enrolment, Enrolment.current_stage_id.is_(None)) <= count(Enrolment) * 0.15

    with tenancy.system_scope():
        sizes = dict(db.session.execute(
            select(CommunityMembership.tenant_id, func.count()).group_by(CommunityMembership.tenant_id)
        ).all())
        coordinators = dict(db.session.execute(
            select(CommunityMembership.tenant_id, func.count())
            .where(CommunityMembership.role == CommunityRole.COORDINATOR)
            .group_by(CommunityMembership.tenant_id)
        ).all())
        positions = db.session.scalars(
            select(Stage.position).join(Enrolment, Enrolment.current_stage_id == Stage.id)
        ).all()
        activity = db.session.scalars(select(Enrolment.last_activity_at)).all()
        mentored = db.session.scalar(
            select(func.count(func.distinct(StaffAssignment.enrolment_id))).where(StaffAssignment.role == StaffRole.MENTOR)
        )
        assignment_organisations_agree = db.session.scalar(
            select(func.count()).select_from(StaffAssignment)
            .join(StaffMembership, (StaffMembership.user_id == StaffAssignment.user_id)
                  & (StaffMembership.organisation_id == StaffAssignment.organisation_id)
                  & (StaffMembership.role == StaffAssignment.role))
        )
    assert len(sizes) == N and all(3 <= size <= 15 for size in sizes.values())
    assert set(coordinators) == set(sizes)
    # Most communities in the incubator, some in each later stage.
    assert set(positions) == {0, 1, 2} and positions.count(0) > positions.count(2)
    moments = [as_utc(moment) for moment in activity if moment is not None]
    assert len(moments) >= len(activity) * 0.8
    assert all(NOW - timedelta(days=scale.ACTIVITY_DAYS) <= moment <= NOW for moment in moments)
    assert max(moments) - min(moments) > timedelta(days=30)  # spread, not one moment
    assert mentored == count(Enrolment)  # every enrolment has a mentor
    assert assignment_organisations_agree == count(StaffAssignment)  # staff assigned only where they work

    # The report says what is in the database, and whom to sign in as.
    for model in (Organisation, Programme, Stage, User, StaffMembership, Community, CommunityMembership,
                  Enrolment, StaffAssignment):
        assert report.created[model.__tablename__] == count(model), model.__tablename__
    assert count(User) == sum(sizes.values()) + count(StaffMembership)
    assert {"operator", "mentor", "expert", "facilitator", "coordinator", "member"} <= set(report.sign_ins)
    with tenancy.system_scope():
        coordinator = db.session.scalar(select(User).where(User.handle == report.sign_ins["coordinator"]))
        membership = db.session.scalar(select(CommunityMembership).where(CommunityMembership.user_id == coordinator.id))
    assert membership.tenant_id == report.ids["community_id"] and membership.role == CommunityRole.COORDINATOR
    assert report.skipped == {} or all(reason for reason in report.skipped.values())


def module_models(module: str, *names: str):
    found = scale._models(module, *names)
    if found is None:
        pytest.skip(f"{module} is not installed")
    return found


def test_calls_and_applications(app, report):
    Application, ApplicationStatus = module_models(
        "hromada.modules.programmes.models", "Application", "ApplicationStatus")
    (Question,) = module_models("hromada.modules.questionnaires.models", "Question")
    assert count(Programme, Programme.call_open.is_(True)) == 1  # next year's cohort
    with tenancy.system_scope():
        call = db.session.get(Programme, report.ids["call_programme_id"])
        assert call.call_is_open(NOW.date()) and call.questions
        admitted = set(db.session.execute(
            select(Application.tenant_id, Application.programme_id).where(Application.status == ApplicationStatus.ADMITTED)
        ).all())
        enrolled = set(db.session.execute(select(Enrolment.tenant_id, Enrolment.programme_id)).all())
        waiting = db.session.scalars(select(Application).where(Application.status != ApplicationStatus.ADMITTED)).all()
    assert admitted == enrolled  # every enrolment came through an admitted application
    # The programmes' calls' questions (scholarship calls ask theirs through the same engine).
    assert count(Question, Question.questionnaire_id.in_(select(Programme.questionnaire_id))) == (
        len(scale.QUESTIONS) * len(scale.PROGRAMMES))
    assert all(application.programme_id == call.id for application in waiting)
    # Answers are keyed by the ids of the call's own questions.
    assert all(set(application.answers) == {str(question.id) for question in call.questions} for application in waiting)


def test_stage_progress_and_transitions_tell_one_story(app, report):
    StageProgress, EnrolmentTransition, ProgressStatus, TransitionKind = module_models(
        "hromada.modules.progress.models", "StageProgress", "EnrolmentTransition", "ProgressStatus", "TransitionKind")
    with tenancy.system_scope():
        enrolments = db.session.scalars(select(Enrolment)).all()
        rows = db.session.scalars(select(StageProgress)).all()
        transitions = db.session.scalars(select(EnrolmentTransition)).all()
        positions = {stage.id: stage.position for stage in db.session.scalars(select(Stage))}
    by_enrolment: dict[int, dict] = {}
    for row in rows:
        by_enrolment.setdefault(row.enrolment_id, {})[positions[row.stage_id]] = row
    kinds: dict[int, list] = {}
    for transition in sorted(transitions, key=lambda t: (as_utc(t.created_at), t.id)):
        kinds.setdefault(transition.enrolment_id, []).append(transition.kind)
    for enrolment in enrolments:
        reached = by_enrolment[enrolment.id]
        assert sorted(reached) == list(range(len(reached)))  # no stage skipped
        *passed, last = [reached[position] for position in sorted(reached)]
        assert all(row.status == ProgressStatus.COMPLETED for row in passed)
        history = kinds[enrolment.id]
        assert history[0] == TransitionKind.ADMITTED
        assert len([k for k in history if k in (TransitionKind.ADVANCED, TransitionKind.OVERRIDE)]) == len(passed)
        if enrolment.current_stage_id is None:  # left the programme: withdrawn, or completed the last stage
            assert last.status in (ProgressStatus.WITHDRAWN, ProgressStatus.COMPLETED)
            assert history[-1] in (TransitionKind.WITHDRAWN, TransitionKind.COMPLETED)
        else:
            assert positions[enrolment.current_stage_id] == max(reached)
            assert last.status in (ProgressStatus.ADMITTED, ProgressStatus.ACTIVE)
    # Most communities in the incubator, some in each later stage.
    current = [positions[e.current_stage_id] for e in enrolments if e.current_stage_id is not None]
    assert set(current) == {0, 1, 2} and current.count(0) > current.count(2)
    assert {TransitionKind.ADVANCED, TransitionKind.ADMITTED} <= {t.kind for t in transitions}
    assert all(t.reason for t in transitions if t.kind in (TransitionKind.OVERRIDE, TransitionKind.WITHDRAWN))


def test_courses_sessions_and_attendance(app, report):
    Course, CourseSession, CourseParticipant, SessionAttendance, LessonCompletion = module_models(
        "hromada.modules.courses.models", "Course", "CourseSession", "CourseParticipant", "SessionAttendance",
        "LessonCompletion")
    running_stages = (len(scale.PROGRAMMES) - 1) * 3
    assert count(Course) >= running_stages  # every stage of a running programme has the plugins' courses
    assert count(CourseSession) == count(Course) * scale.SESSIONS_PER_COURSE
    with tenancy.system_scope():
        joined = set(db.session.execute(select(CourseParticipant.course_id, CourseParticipant.user_id)).all())
        attended = db.session.execute(
            select(CourseSession.course_id, SessionAttendance.user_id, CourseSession.starts_at, SessionAttendance.attended)
            .join(CourseSession, CourseSession.id == SessionAttendance.session_id)
        ).all()
        members = set(db.session.execute(select(CommunityMembership.tenant_id, CommunityMembership.user_id)).all())
        participants = set(db.session.execute(select(CourseParticipant.tenant_id, CourseParticipant.user_id)).all())
    assert joined and attended and count(LessonCompletion) > 0
    assert all((course_id, user_id) in joined for course_id, user_id, _, _ in attended)  # only participants
    assert all(as_utc(starts_at) <= NOW for _, _, starts_at, _ in attended)  # only sessions that took place
    assert {True, False} == {was_there for *_, was_there in attended}
    assert participants <= members  # people join courses for their own community


def test_events_registrations_and_attendance(app, report):
    NetworkingEvent, EventRegistration, FollowUpItem = module_models(
        "hromada.modules.events.models", "NetworkingEvent", "EventRegistration", "FollowUpItem")
    with tenancy.system_scope():
        events = {event.id: event for event in db.session.scalars(select(NetworkingEvent))}
        registrations = db.session.scalars(select(EventRegistration)).all()
        members = set(db.session.execute(select(CommunityMembership.tenant_id, CommunityMembership.user_id)).all())
    assert events and registrations
    per_event: dict[int, int] = {}
    for registration in registrations:
        per_event[registration.event_id] = per_event.get(registration.event_id, 0) + 1
        assert (registration.tenant_id, registration.user_id) in members
        if registration.attended:
            assert as_utc(events[registration.event_id].ends_at) <= NOW
    for event_id, event in events.items():
        assert event.registered_count == per_event.get(event_id, 0)
        assert event.capacity is None or event.registered_count <= event.capacity
    assert any(as_utc(event.starts_at) > NOW for event in events.values())  # some are still to come
    assert count(FollowUpItem) >= len(events) * 5


def test_every_generated_person_signs_in_with_the_published_password(app, report, client):
    from hromada.testing.factories import sign_in

    for role in ("operator", "coordinator"):
        response = sign_in(client, report.sign_ins[role], scale.SCALE_PASSWORD)
        assert response.status_code == 302, role
        client.post("/sign-out", data={"csrf_token": _token(client)})
    # The coordinator sees their community; the operator's organisation reaches it too.
    sign_in(client, report.sign_ins["coordinator"], scale.SCALE_PASSWORD)
    assert client.get(f"/communities/{report.ids['community_id']}").status_code == 200


def _token(client) -> str:
    from hromada.testing.fixtures import csrf_token

    return csrf_token(client, "/")


def test_a_second_run_says_so_and_does_nothing(app, report, runner):
    before = {model.__tablename__: count(model) for model in (User, Community, Enrolment, StaffAssignment)}
    again = scale.generate(N * 2, now=NOW)
    assert again.already_present and again.created == {}
    result = runner.invoke(args=["demo", "--scale", "5"])
    assert result.exit_code == 0, result.output
    assert "already holds scale data" in result.output
    assert {model.__tablename__: count(model) for model in (User, Community, Enrolment, StaffAssignment)} == before


def test_the_command_generates_and_prints_what_it_made(app, runner):
    result = runner.invoke(args=["demo", "--scale", "6", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert re.search(r"communities\s+6\b", result.output)
    assert "Generated in" in result.output and scale.SCALE_PASSWORD in result.output
    assert count(Community) == 6
    assert runner.invoke(args=["demo", "--scale", "0"]).exit_code != 0  # N must be positive; nothing made
    assert count(Community) == 6


def test_without_the_stage_plugins_it_refuses_and_makes_nothing(app):
    with pytest.raises(ValueError, match="enable their plugins"):
        scale.generate(3, stage_types=[])
    assert count(Organisation) == count(Community) == 0


def test_the_same_seed_gives_the_same_names(app):
    first = scale._community_names(_world(seed=5))
    assert first == scale._community_names(_world(seed=5))
    assert first != scale._community_names(_world(seed=6))
    assert len(set(first)) == len(first)  # distinct names, even past the number of combinations


def _world(seed: int, n: int = 1200):
    import random

    return scale._World(n_communities=n, rng=random.Random(seed), report=scale.ScaleReport(),
                        stage_types=list(scale.STAGE_TYPES), now=NOW)


# --- Names are invented: nothing from the seed documents ---------------------

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "ў": "u",
}
# The other common spellings of the same letters (Ukrainian "h" for "г", "y" for "и", ...).
VARIANTS = {"г": "h", "и": "y", "й": "y", "х": "h", "є": "ye", "ю": "yu", "я": "ya", "ї": "yi", "ц": "c"}


def seed_texts() -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS}")
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))).lower()
    spellings = [text]
    for table in (CYRILLIC, {**CYRILLIC, **VARIANTS}):
        spellings.append("".join(table.get(letter, letter) for letter in text))
    return "\n".join(spellings)


def invented_words() -> set[str]:
    return {word.lower() for word in (*scale.PLACE_WORDS, *scale.ORGANISATION_WORDS, *scale.GIVEN_WORDS,
                                      *scale.FAMILY_WORDS)}


def test_no_invented_word_appears_in_the_seeds():
    seeds = seed_texts()
    found = sorted(word for word in invented_words() if word in seeds)
    assert not found, f"these words of the generator occur in the seed documents: {found}"


def test_no_generated_name_appears_in_the_seeds(app, report):
    seeds = seed_texts()
    with tenancy.system_scope():
        names = [
            *db.session.scalars(select(Community.name)),
            *db.session.scalars(select(Organisation.name)),
            *db.session.scalars(select(Programme.title)),
            *db.session.scalars(select(User.display_name)),
            *(handle.rsplit("-", 1)[0] for handle in db.session.scalars(select(User.handle))),
        ]
    assert len(names) > N * 3
    found = sorted({name for name in names if name.lower() in seeds})
    assert not found, f"generated names found in the seed documents: {found}"
    # Each name is made of invented words (and plain English nouns): a person's name cannot slip in.
    words = invented_words()
    people = [name for name in names if name.endswith(".")]  # "Given F."
    assert people and all(name.split()[0].lower() in words for name in people)


def test_scholarship_calls_have_applications_in_every_state_with_their_reviews(app):
    # Issue 15: one application per ten communities in the showcase's call (2,000 at N = 20,000), in a cycle of
    # states, each listed one with two reviewers; a smaller call of another organisation.
    from hromada.modules.scholarships.models import (
        Criterion, Review, ReviewStatus, ScholarshipApplication, ScholarshipCall, ScholarshipStatus, Tranche)
    from hromada.modules.scholarships.summary import weighted_total

    report = scale.generate(200, now=NOW)
    db.session.remove()
    call_id = report.ids["scholarship_call_id"]
    with tenancy.system_scope():
        calls = db.session.scalars(select(ScholarshipCall)).all()
        applications = db.session.scalars(select(ScholarshipApplication)
                                          .where(ScholarshipApplication.call_id == call_id)).all()
        reviews = db.session.scalars(select(Review).where(Review.call_id == call_id)).all()
        criteria = db.session.scalars(select(Criterion).where(Criterion.call_id == call_id)).all()
        tranches = db.session.scalars(select(Tranche).where(Tranche.call_id == call_id)).all()
        reviewer = db.session.scalar(select(User).where(User.handle == report.sign_ins["reviewer"]))
        main = db.session.get(ScholarshipCall, call_id)
        staff = set(db.session.scalars(select(StaffMembership.user_id).where(
            StaffMembership.organisation_id == main.organisation_id)))
    assert len(calls) == 2 and len({call.organisation_id for call in calls}) == 2
    assert len(applications) == 20 and {a.status for a in applications} == set(ScholarshipStatus)
    assert next(a for a in applications if a.id == report.ids["scholarship_application_id"]).status == (
        ScholarshipStatus.APPROVED)
    listed = {a.id for a in applications if a.status != ScholarshipStatus.DRAFT}
    by_application: dict[int, list] = {}
    for review in reviews:
        by_application.setdefault(review.application_id, []).append(review)
    assert set(by_application) == listed and all(len(found) == 2 for found in by_application.values())
    assert all(reviewer.id in {r.reviewer_id for r in found} for found in by_application.values())
    assert {r.reviewer_id for r in reviews} <= staff
    scored = [r for r in reviews if r.status == ReviewStatus.SUBMITTED]
    assert scored and all(r.weighted_total == weighted_total(r.scores, criteria) for r in scored)
    approved = [a for a in applications if a.status == ScholarshipStatus.APPROVED]
    assert len(tranches) == 2 * len(approved) and any(t.paid_on for t in tranches)
    assert sum(a.approved_minor for a in approved) <= main.budget_minor
