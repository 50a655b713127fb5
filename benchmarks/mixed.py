"""The mixed run of `benchmarks/run.py --mixed`: many people at once, each opening their own pages,
about one request in ten writing through a real form.

Who: operators of every organisation (two each), mentors and experts, facilitators, and a
coordinator and a member of communities in every stage of several programmes, each signed in
through the real sign-in form (staff with their second factor). What they open: the cohort
overview of their own programmes under many filters, sorts and page numbers (operators), their
own community's progress page, course and lesson pages, the open call, notifications, action
plans, consultations, attendance forms. What they write, each through the form a browser would
send, its CSRF token read from the page: attendance at a held course session (facilitators), a
lesson marked read (members), a consultation logged (mentors and experts), an action of a change
map's plan marked done (members of communities in the civic course).

How: `plan()` picks the people from the generated data (read as the database's owner), signs
them in, reads their forms and builds one list of requests (method, path, the person's cookie,
body), READ_SHARES of the reads per page and WRITE_SHARE writes spread evenly through it.
`mixed.lua` has wrk send that list: every wrk thread has one connection and walks its own slice
of the list in order, and writes one line per answer (its position in the list, status, latency,
redirect target) to a file of its own; `read_logs()` turns the lines into each page's figures.
One connection per thread is what makes the latencies exact: wrk's Lua callbacks do not say
which connection answered, so with one connection a thread's `response()` always belongs to its
last `request()`. wrk itself still counts every request and its overall latency.

Every write is one the page would accept: a write that answers other than 2xx or a redirect
elsewhere than the sign-in page is a failure; more than MAX_FAILED_WRITES of them fail the run.
Each prepared write is a new one (a lesson not read yet, a consultation with a fresh form key, a
new set of attendance marks, an action still open), and none is sent twice until a thread has sent
more than its share of those of its kind (see `interleave`); after that the same forms are sent
again, which the app answers as it answers a form sent twice.
"""

from __future__ import annotations

import bisect
import math
import random
import re
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from browser import BenchmarkError, Browser

SCRIPT = Path(__file__).resolve().with_name("mixed.lua")
WRITE_SHARE = 0.10
# Of the reads: the two pages the targets are about get the largest shares, so that their p99 rests on
# enough requests even in a short run.
READ_SHARES = {
    "cohort overview": 0.20,
    "community progress": 0.20,
    "course page": 0.15,
    "lesson page": 0.10,
    "notifications": 0.10,
    "consultations": 0.08,
    "call page": 0.07,
    "action plan": 0.05,
    "attendance form": 0.05,
}
WRITES = ("write: attendance", "write: lesson read", "write: consultation", "write: action done")
# Distinct writes of each kind to prepare: more than a run of 15 s sends on this machine (about 40 a kind).
WRITES_PER_KIND = 120
MAX_FAILED_WRITES = 0.01
# Who signs in: how many of each.
OPERATORS_PER_ORGANISATION = 2
MENTORS, EXPERTS, FACILITATORS = 4, 2, 3
COMMUNITIES_PER_STAGE = 4  # a coordinator and a member of each
ACTION_COMMUNITIES = 8  # communities in the civic course whose members mark actions of their plan done
LED_COMMUNITIES = 4  # per mentor or expert: where they log consultations and read progress
SESSIONS_PER_FACILITATOR = 3
COHORT_VARIANTS_PER_OPERATOR = 10
SUMMARY = "We went through the plan's next steps together; the coordinators will share the notes with the members."


@dataclass(frozen=True)
class Entry:
    """One request of the list: a row of the table (`page`), who sends it, and what."""

    page: str
    session: str  # the handle of the person signed in
    method: str
    path: str
    body: str = ""

    @property
    def writes(self) -> bool:
        return self.method == "POST"


@dataclass
class Mix:
    entries: list[Entry]
    cookies: dict[str, str]  # handle -> Cookie header
    roles: dict[str, str]  # handle -> role
    distinct_writes: Counter = field(default_factory=Counter)

    def reads(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.writes]


# --- Building the list ------------------------------------------------------------------------


def slice_starts(length: int, threads: int) -> list[int]:
    """Where each wrk thread starts in a list of `length` requests (as mixed.lua computes it)."""
    return [thread * length // threads for thread in range(threads)]


def interleave(reads: dict[str, list[Entry]], writes: dict[str, list[Entry]], *, length: int, threads: int,
               rng: random.Random, read_shares: dict[str, float] = READ_SHARES,
               write_share: float = WRITE_SHARE) -> list[Entry]:
    """A list of `length` requests for `threads` wrk threads: `write_share` of them writes, one every
    1/write_share requests of each thread's slice (so that every stretch of the list writes as often),
    each kind of write once in every round; the reads drawn by `read_shares` among the pages that have any.

    The entries of a page (or a kind of write) are dealt to the threads' slices like cards: the n-th
    request of that kind in thread t's slice is entry n × threads + t. So no write is sent twice until
    a thread has sent more than entries ÷ threads of its kind, wherever in the list the threads are.
    """
    pages = [page for page in read_shares if reads.get(page)]
    kinds = [kind for kind in writes if writes[kind]]
    if not pages:
        raise BenchmarkError("the mixed run has no page to read")
    weights = [read_shares[page] for page in pages]
    starts = slice_starts(length, threads)
    # Where in its first 1/write_share requests each slice writes first: a phase of its own, so that in a
    # short run the threads' first requests (where they start) write as often as the rest of the list.
    phases = [rng.uniform(0, 1 / write_share) for _ in starts]
    chosen = []
    turns: list[str] = []
    for index in range(length):
        thread = bisect.bisect_right(starts, index) - 1
        step = index - starts[thread] + phases[thread]
        if kinds and math.floor((step + 1) * write_share) > math.floor(step * write_share):
            # Each kind once in every round, in a shuffled order: a fixed order would give every thread,
            # which starts at a round fraction of the list, the same kind again and again.
            if not turns:
                turns = rng.sample(kinds, len(kinds))
            chosen.append(writes[turns.pop()])
        else:
            chosen.append(reads[rng.choices(pages, weights)[0]])
    dealt: Counter = Counter()  # (group, thread) -> entries of that group dealt to that thread's slice
    result = []
    for index, group in enumerate(chosen):
        thread = bisect.bisect_right(starts, index) - 1
        turn = dealt[id(group), thread]
        dealt[id(group), thread] += 1
        result.append(group[(turn * threads + thread) % len(group)])
    return result


def round_robin(groups: Iterable[list[Entry]]) -> list[Entry]:
    """One from each group in turn: consecutive requests of a page come from different people."""
    groups = [list(group) for group in groups if group]
    result = []
    for position in range(max((len(group) for group in groups), default=0)):
        result += [group[position] for group in groups if position < len(group)]
    return result


def data_lines(entries: list[Entry], cookies: dict[str, str]) -> str:
    """The list as mixed.lua reads it: one request a line, method, path, cookie and body apart by tabs."""
    lines = []
    for entry in entries:
        fields = (entry.method, entry.path, cookies.get(entry.session, ""), entry.body)
        if any(character in value for value in fields for character in "\t\r\n"):
            raise BenchmarkError(f"a request of the mixed run cannot be written on one line: {entry.path}")
        lines.append("\t".join(fields))
    return "\n".join(lines) + "\n"


# --- Reading what wrk's threads wrote -----------------------------------------------------------


@dataclass
class PageFigures:
    page: str
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, share: float) -> float:
        """Nearest rank: the smallest latency that at least `share` of the requests did not exceed."""
        if not self.latencies_ms:
            return float("inf")
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class MixedFigures:
    pages: dict[str, PageFigures]
    seconds: float
    failed: list[tuple[Entry, str]]  # (request, what came back)

    def rate(self, page: str) -> float:
        return self.pages[page].requests / self.seconds if self.seconds else 0.0

    @property
    def requests(self) -> int:
        return sum(figures.requests for figures in self.pages.values())

    def everything(self) -> PageFigures:
        """Every request together: to set beside wrk's own figures, which count the same requests."""
        return PageFigures("all", [latency for figures in self.pages.values() for latency in figures.latencies_ms])

    @property
    def writes(self) -> int:
        return sum(self.pages[page].requests for page in self.pages if page in WRITES)

    @property
    def failed_writes(self) -> int:
        return sum(self.pages[page].failures for page in self.pages if page in WRITES)


def succeeded(entry: Entry, status: int, location: str) -> bool:
    """A read answers 200 itself; a write answers 2xx or sends the browser on, but not to the sign-in page."""
    if not entry.writes:
        return status == 200
    if 300 <= status < 400:
        return not urllib.parse.urlsplit(location).path.startswith("/sign-in")
    return 200 <= status < 300


def read_logs(folder: Path, entries: list[Entry], seconds: float) -> MixedFigures:
    """Each page's latencies and statuses from the files of wrk's threads (see mixed.lua).

    A line with status 0 is a request that got no answer (wrk reconnected after an error): a failure,
    and not a latency.
    """
    pages = {page: PageFigures(page) for page in [*READ_SHARES, *WRITES]}
    failed = []
    for log in sorted(folder.glob("thread-*.log")):
        for line in log.read_text().splitlines():
            position, status, microseconds, location = line.split(" ", 3)
            entry = entries[int(position)]
            figures = pages.setdefault(entry.page, PageFigures(entry.page))
            status = int(status)
            figures.statuses[status] += 1
            if status:
                figures.latencies_ms.append(int(microseconds) / 1000)
            if not status or not succeeded(entry, status, location):
                figures.failures += 1
                failed.append((entry, f"{status or 'no answer'}" + (f" -> {location}" if location != "-" else "")))
    return MixedFigures({page: figures for page, figures in pages.items() if figures.statuses}, seconds, failed)


# --- Picking the people and their pages from the generated data ----------------------------------------


@dataclass
class _Community:
    community_id: int
    programme_id: int
    organisation_id: int
    stage_id: int
    coordinator: str
    member: str
    member_id: int


def _cast(connection, rng: random.Random):
    """(operators, leads, facilitators, communities, action communities, open calls) of the generated data."""
    from sqlalchemy import and_, func, select

    from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership, StaffRole, User
    from hromada.modules.action_plans.models import Action, ActionPlan, ActionStatus, Milestone
    from hromada.modules.communities.models import Enrolment, StaffAssignment
    from hromada.modules.programmes.models import Programme, Stage

    def staff(role: StaffRole, count_per_organisation: int | None, total: int | None = None):
        rows = connection.execute(
            select(User.handle, StaffMembership.organisation_id, User.id)
            .join(User, User.id == StaffMembership.user_id)
            .where(StaffMembership.role == role).order_by(StaffMembership.organisation_id, User.id)).all()
        by_organisation: dict[int, list] = {}
        for row in rows:
            by_organisation.setdefault(row.organisation_id, []).append(row)
        if count_per_organisation is not None:
            return [row for people in by_organisation.values() for row in people[:count_per_organisation]]
        # Taking turns between the organisations, so that each is represented.
        chosen, queues = [], [list(people) for people in by_organisation.values()]
        while len(chosen) < total and any(queues):
            for queue in queues:
                if queue and len(chosen) < total:
                    chosen.append(queue.pop(0))
        return chosen

    def led(user_id: int, role: StaffRole, limit: int):
        return connection.execute(
            select(Enrolment.tenant_id, Enrolment.programme_id, Enrolment.organisation_id, Enrolment.current_stage_id)
            .join(StaffAssignment, StaffAssignment.enrolment_id == Enrolment.id)
            .where(StaffAssignment.user_id == user_id, StaffAssignment.role == role,
                   Enrolment.current_stage_id.is_not(None))
            .order_by(Enrolment.id).limit(limit)).all()

    def people_of(community_id: int):
        rows = connection.execute(
            select(User.handle, User.id, CommunityMembership.role).join(User, User.id == CommunityMembership.user_id)
            .where(CommunityMembership.tenant_id == community_id).order_by(User.id)).all()
        coordinator = next((row for row in rows if row.role == CommunityRole.COORDINATOR), None)
        member = next((row for row in rows if row.role == CommunityRole.MEMBER), None)
        return coordinator, member

    operators = staff(StaffRole.OPERATOR, OPERATORS_PER_ORGANISATION)
    leads = [(row, StaffRole.MENTOR, led(row.id, StaffRole.MENTOR, LED_COMMUNITIES))
             for row in staff(StaffRole.MENTOR, None, MENTORS)]
    leads += [(row, StaffRole.EXPERT, led(row.id, StaffRole.EXPERT, LED_COMMUNITIES))
              for row in staff(StaffRole.EXPERT, None, EXPERTS)]
    facilitators = [(row, led(row.id, StaffRole.FACILITATOR, 20))
                    for row in staff(StaffRole.FACILITATOR, None, FACILITATORS)]

    # Communities in every stage, drawn from every programme with communities in it.
    active = connection.execute(
        select(Enrolment.tenant_id, Enrolment.programme_id, Enrolment.organisation_id, Enrolment.current_stage_id,
               Stage.position)
        .join(Stage, Stage.id == Enrolment.current_stage_id).order_by(Enrolment.id)).all()
    by_position: dict[int, list] = {}
    for row in active:
        by_position.setdefault(row.position, []).append(row)
    communities, seen = [], set()
    for position in sorted(by_position):
        picked = 0
        for row in rng.sample(by_position[position], len(by_position[position])):
            if picked == COMMUNITIES_PER_STAGE:
                break
            coordinator, member = (None, None) if row.tenant_id in seen else people_of(row.tenant_id)
            if coordinator is None or member is None:
                continue
            seen.add(row.tenant_id)
            picked += 1
            communities.append(_Community(row.tenant_id, row.programme_id, row.organisation_id,
                                          row.current_stage_id, coordinator.handle, member.handle, member.id))

    # Communities whose plan (a change map's) has actions still open, and those actions.
    open_actions = connection.execute(
        select(ActionPlan.tenant_id, ActionPlan.id.label("plan_id"), ActionPlan.programme_id, Action.id)
        .join(Milestone, Milestone.plan_id == ActionPlan.id).join(Action, Action.milestone_id == Milestone.id)
        .where(Action.status.in_([ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]))
        .order_by(ActionPlan.tenant_id, Action.id)).all()
    plans: dict[int, list] = {}
    for row in open_actions:
        plans.setdefault(row.tenant_id, []).append(row)
    action_communities = []
    for community_id in rng.sample(sorted(plans), min(len(plans), ACTION_COMMUNITIES)):
        coordinator, member = people_of(community_id)
        if member is not None:
            action_communities.append((community_id, coordinator.handle if coordinator else None, member.handle,
                                       plans[community_id]))

    calls = connection.scalars(select(Programme.id).where(Programme.call_open.is_(True)).order_by(Programme.id)).all()
    running = connection.execute(
        select(Programme.id, Programme.organisation_id).where(
            select(func.count()).select_from(Enrolment).where(
                and_(Enrolment.programme_id == Programme.id)).scalar_subquery() > 0)
        .order_by(Programme.id)).all()
    return operators, leads, facilitators, communities, action_communities, calls, running


def _courses(connection, stage_ids: Iterable[int]) -> dict[int, list[int]]:
    """stage id -> its courses' ids."""
    from sqlalchemy import select

    from hromada.modules.courses.models import Course

    result: dict[int, list[int]] = {}
    for course_id, stage_id in connection.execute(
            select(Course.id, Course.stage_id).where(Course.stage_id.in_(list(set(stage_ids)))).order_by(Course.id)):
        result.setdefault(stage_id, []).append(course_id)
    return result


def _unread_lessons(connection, user_id: int, course_ids: list[int]) -> list[tuple[int, int]]:
    """(course id, lesson id) of the lessons of these courses that the person has not marked read, in order."""
    from sqlalchemy import select

    from hromada.modules.courses.models import CourseModule, Lesson, LessonCompletion

    done = select(LessonCompletion.lesson_id).where(LessonCompletion.user_id == user_id)
    return [tuple(row) for row in connection.execute(
        select(CourseModule.course_id, Lesson.id).join(Lesson, Lesson.module_id == CourseModule.id)
        .where(CourseModule.course_id.in_(course_ids), Lesson.id.not_in(done))
        .order_by(CourseModule.course_id, CourseModule.position, Lesson.position))]


def _held_sessions(connection, course_ids: list[int], now: datetime) -> list[tuple[int, int]]:
    """(course id, session id) of the sessions of these courses that have begun, the latest first."""
    from sqlalchemy import select

    from hromada.modules.courses.models import CourseSession

    return [tuple(row) for row in connection.execute(
        select(CourseSession.course_id, CourseSession.id)
        .where(CourseSession.course_id.in_(course_ids), CourseSession.starts_at <= now)
        .order_by(CourseSession.starts_at.desc(), CourseSession.id))]


def write_counts(owner_url: str, since: datetime) -> dict[str, int]:
    """What the database holds that the mixed run's writes make: to show that they wrote, not only answered."""
    from sqlalchemy import create_engine, func, select

    from hromada.modules.action_plans.models import Action, ActionStatus
    from hromada.modules.consultations.models import Consultation
    from hromada.modules.courses.models import LessonCompletion, SessionAttendance

    engine = create_engine(owner_url)
    try:
        with engine.connect() as connection:
            def count(model, *conditions) -> int:
                return connection.scalar(select(func.count()).select_from(model).where(*conditions))

            return {
                "attendance marks": count(SessionAttendance, SessionAttendance.marked_at >= since),
                "lessons read": count(LessonCompletion, LessonCompletion.completed_at >= since),
                "consultations logged": count(Consultation, Consultation.logged_at >= since),
                "actions done": count(Action, Action.status == ActionStatus.DONE),
            }
    finally:
        engine.dispose()


def _cohort_variants(browser: Browser, path: str, rng: random.Random) -> list[str]:
    """The cohort overview under the filters, sorts and page numbers its own form and page links offer."""
    from browser import forms_of

    from hromada.demo.scale import COMMUNITY_KINDS

    page = browser.page(path)
    form = next((form for form in forms_of(page) if "sort" in form.options), None)
    if form is None:
        return [path]
    last = max([int(number) for number in re.findall(r"[?&;]page=(\d+)", page)] or [1])
    stalled = next((value for name, value, _checked in form.checkboxes if name == "stalled"), "y")
    words = [kind.split()[-1] for kind in COMMUNITY_KINDS[:4]]
    queries = (
        [{"stage": value} for value in form.options.get("stage", []) if value]
        + [{"status": value} for value in form.options.get("status", []) if value]
        + [{"sort": key, "order": order} for key in form.options.get("sort", []) for order in ("asc", "desc")]
        + [{"page": str(number)} for number in range(2, min(last, 6) + 1)]
        + [{"q": word} for word in words] + [{"stalled": stalled}]
        + [{"sort": "last_activity", "order": "desc", "page": str(min(last, 2))}]
    )
    chosen = rng.sample(queries, min(len(queries), COHORT_VARIANTS_PER_OPERATOR - 1))
    return [path] + [f"{path}?{urllib.parse.urlencode(query)}" for query in chosen]


def plan(owner_url: str, sign_in: Callable[[str], Browser], *, seed: int, threads: int,
         log: Callable[[str], None] = print, length: int | None = None) -> Mix:
    """Pick the people, sign them in, read their forms, and build the list of requests."""
    from sqlalchemy import create_engine

    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    engine = create_engine(owner_url)
    try:
        with engine.connect() as connection:
            operators, leads, facilitators, communities, action_communities, calls, running = _cast(connection, rng)
            stages = [c.stage_id for c in communities]
            stages += [row.current_stage_id for _p, _r, rows in leads for row in rows]
            stages += [row.current_stage_id for _p, rows in facilitators for row in rows]
            courses = _courses(connection, stages)
            unread = {c.member: _unread_lessons(connection, c.member_id, courses.get(c.stage_id, []))
                      for c in communities}
            held = {person.handle: _held_sessions(connection, sorted(
                {course for row in rows for course in courses.get(row.current_stage_id, [])}), now)
                for person, rows in facilitators}
    finally:
        engine.dispose()

    reads: dict[str, list[list[Entry]]] = {page: [] for page in READ_SHARES}
    writes: dict[str, list[list[Entry]]] = {kind: [] for kind in WRITES}
    roles: dict[str, str] = {}
    browsers: dict[str, Browser] = {}

    def person(handle: str, role: str) -> Browser:
        if handle not in browsers:
            browsers[handle] = sign_in(handle)
            roles[handle] = role
        return browsers[handle]

    def add(page: str, handle: str, paths: Iterable[str]) -> None:
        reads[page].append([Entry(page, handle, "GET", path) for path in paths])

    call_paths = [f"/calls/{programme_id}" for programme_id in calls]
    log(f"mixed run: signing in {len(operators)} operators, {len(leads)} mentors and experts, "
        f"{len(facilitators)} facilitators, and people of {len(communities) + len(action_communities)} communities")

    for row in operators:
        browser = person(row.handle, "operator")
        programmes = [programme_id for programme_id, organisation_id in running
                      if organisation_id == row.organisation_id]
        for programme_id in programmes:
            base = f"/organisations/{row.organisation_id}/programmes/{programme_id}"
            add("cohort overview", row.handle, _cohort_variants(browser, base + "/cohort", rng))
        add("call page", row.handle, call_paths)
        add("notifications", row.handle, ["/notifications"])

    for row, role, rows in leads:
        browser = person(row.handle, role.value)
        add("community progress", row.handle,
            [f"/communities/{r.tenant_id}/programmes/{r.programme_id}/progress" for r in rows])
        add("consultations", row.handle, ["/staff/consultations"] + [f"/communities/{r.tenant_id}/consultations"
                                                                    for r in rows])
        add("notifications", row.handle, ["/notifications"])
        entries = []
        for r in rows:
            path = f"/communities/{r.tenant_id}/consultations/log"
            form = browser.form(path)
            topics = [value for value in form.options.get("topic", []) if value]
            if not topics:
                continue  # nothing this community may be consulted on in its stage now
            entries.append([Entry("write: consultation", row.handle, "POST", path, form.body({
                "form_key": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "topic": topics[number % len(topics)], "duration_minutes": str(rng.choice((30, 45, 60, 90))),
                "summary": SUMMARY})) for number in range(WRITES_PER_KIND)])
        writes["write: consultation"] += entries

    for row, rows in facilitators:
        browser = person(row.handle, "facilitator")
        entries = []
        for course_id, session_id in held[row.handle][:SESSIONS_PER_FACILITATOR]:
            programme_id = next(r.programme_id for r in rows if course_id in courses.get(r.current_stage_id, []))
            course = f"/organisations/{row.organisation_id}/programmes/{programme_id}/courses/{course_id}"
            path = f"{course}/sessions/{session_id}/attendance"
            add("course page", row.handle, [course])
            add("attendance form", row.handle, [path])
            form = browser.form(path)
            participants = [value for name, value, _checked in form.checkboxes if name == "present"]
            if not participants:
                continue
            entries.append([Entry("write: attendance", row.handle, "POST", path, form.body({
                "present": rng.sample(participants, round(len(participants) * rng.uniform(0.5, 0.9)))}))
                for _ in range(WRITES_PER_KIND)])
        add("notifications", row.handle, ["/notifications"])
        writes["write: attendance"] += entries

    for c in communities:
        person(c.coordinator, "coordinator")
        member = person(c.member, "member")
        progress = f"/communities/{c.community_id}/programmes/{c.programme_id}/progress"
        stage_courses = courses.get(c.stage_id, [])
        course_paths = [f"/communities/{c.community_id}/courses"] + [
            f"/communities/{c.community_id}/courses/{course_id}" for course_id in stage_courses]
        for handle in (c.coordinator, c.member):
            add("community progress", handle, [progress])
            add("course page", handle, course_paths)
            add("notifications", handle, ["/notifications"])
            add("call page", handle, call_paths)
        add("consultations", c.coordinator, [f"/communities/{c.community_id}/consultations"])
        lessons = unread[c.member]
        lesson_paths = [f"/communities/{c.community_id}/courses/{course_id}/lessons/{lesson_id}"
                        for course_id, lesson_id in lessons]
        add("lesson page", c.member, lesson_paths)
        if lessons:
            token = member.form(lesson_paths[0], lesson_paths[0] + "/done").body()
            writes["write: lesson read"].append([Entry("write: lesson read", c.member, "POST", path + "/done", token)
                                                 for path in lesson_paths])

    for community_id, coordinator, handle, actions in action_communities:
        member = person(handle, "member")
        plan_path = f"/communities/{community_id}/plans/{actions[0].plan_id}"
        add("action plan", handle, [plan_path])
        if coordinator:
            person(coordinator, "coordinator")
            add("action plan", coordinator, [plan_path])
        entries = []
        for action in actions:
            path = f"/communities/{community_id}/plans/{action.plan_id}/actions/{action.id}"
            form = member.form(path)
            entries.append(Entry("write: action done", handle, "POST", path, form.body({
                "status": "done", "result": "Done as planned; the photos are in the community's chat."})))
        writes["write: action done"].append(entries)

    flat_reads = {page: round_robin(groups) for page, groups in reads.items()}
    flat_writes = {kind: round_robin(groups)[:WRITES_PER_KIND] for kind, groups in writes.items()}
    for kind, entries in flat_writes.items():
        if not entries:
            log(f"mixed run: no {kind.removeprefix('write: ')} to send (the data has none)")
    distinct = Counter({kind: len(entries) for kind, entries in flat_writes.items()})
    size = length or round(sum(distinct.values()) / WRITE_SHARE) or 2000
    entries = interleave(flat_reads, flat_writes, length=size, threads=threads, rng=rng)
    # Read last: every form read above may have set the session's CSRF secret in its cookie.
    cookies = {handle: browser.cookie_header() for handle, browser in browsers.items()}
    return Mix(entries=entries, cookies=cookies, roles=roles, distinct_writes=distinct)
