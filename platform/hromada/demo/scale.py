"""Realistic fictional data at scale, for the benchmark and the query-count tests.

`generate(n_communities, seed=...)` fills the database with a few operator
organisations, each running programmes of the three stages; N communities spread
over the programmes and stages (most in the incubator, fewer further on), each
with 3 to 15 members; staff of every role with their assignments; enrolments
whose last activity is spread over 120 days. Where the modules that define them
are installed, it adds what those modules hold: calls and applications, stage
progress and transitions, courses with sessions and attendance, events with
registrations and attendance. A part whose module is missing is skipped and
reported.

Every name is an invented word, or two combined deterministically from fixed
lists: no real person, nothing from the seed documents (tests/test_scale.py
checks the seeds). The same `seed` gives the same names and the same shape.

Rows are written with bulk INSERTs in chunks inside `tenancy.system_scope()`:
the ORM's per-object bookkeeping would make 2,000 communities take minutes.
Every account shares one password hash, computed once.
"""

from __future__ import annotations

import importlib
import math
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable, NamedTuple

from sqlalchemy import func, insert, select, update

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership, StaffRole, User
from hromada.modules.accounts.passwords import hash_password
from hromada.modules.factors.models import SecondFactor
from hromada.modules.factors.published import DEMO_TOTP_SECRET, totp_row
from hromada.modules.communities.models import Community, Enrolment, StaffAssignment
from hromada.modules.organisations.models import Organisation
from hromada.modules.programmes.models import Programme, Stage

# Published with the benchmark; scale data is for load tests, never for real people.
SCALE_PASSWORD = "scale-password-2027"
# Every organisation the generator makes has a slug that starts with this: how a second run knows.
SLUG_PREFIX = "scale-"
CHUNK = 1000
DEFAULT_SEED = 2027
STAGE_TYPES = ("incubator", "accelerator", "civic_course")
# Share of a programme's communities in each stage (by position), most still in the first.
STAGE_SHARES = (0.55, 0.30, 0.15)
ACTIVITY_DAYS = 120
MEMBERS = (3, 15)

# Invented words: none is a name, a place or a word of the seeds.
PLACE_WORDS = (
    "Velmora", "Ostrinel", "Dalvek", "Brisnova", "Korvelt", "Miraltho", "Zentova", "Prulisk", "Tavrenna",
    "Ulvesko", "Nerovin", "Sidrakul", "Lumvaren", "Quessor", "Harvello", "Ibrentsa", "Jorvanti", "Fenmarro",
    "Galdrino", "Peskavel", "Rondulia", "Saverkin", "Tolmirava", "Urnesko", "Vasprelo", "Wendoria", "Yastrevo",
    "Zoltavin", "Amberusk", "Belvonti", "Cordrevo", "Drevinsk", "Elmorath", "Fiskorin", "Grenvolt", "Hollavin",
    "Istrevan", "Kelmurot", "Lordanse", "Morvaski",
)
COMMUNITY_KINDS = (
    "Yard Circle", "Readers' Club", "Garden Collective", "Neighbours' Council", "Repair Corner", "Youth Forum",
    "Cyclists' Union", "Tenants' Assembly", "Choir", "Makers' Workshop", "Parents' Network", "River Watch",
    "Elders' Circle", "Film Club", "Volunteer Brigade", "Chess Circle", "Heritage Society", "Food Cooperative",
    "Climbers' Group", "Debate Club", "Lantern Walkers", "Beekeepers' Circle", "Open Library", "Street Musicians",
    "Night Bakers",
)
ORGANISATION_WORDS = ("Velmora", "Quessor", "Harvello")
ORGANISATION_KINDS = ("Foundation", "Neighbourhood Network", "Civic League")
GIVEN_WORDS = (
    "Alvrin", "Bresta", "Corvany", "Dimesko", "Elvatra", "Fabrosh", "Gelmira", "Havrosk", "Ilvenna", "Jastrel",
    "Kovrena", "Lemsadi", "Murvesta", "Nalvok", "Orbesta", "Pelmira", "Quavrin", "Rostelva", "Semrako", "Tuvrena",
    "Ulmasti", "Vordisk", "Wesmira", "Yalvero", "Zemrosta", "Abrenko", "Belmisha", "Cestrova", "Dorvalin", "Esparka",
)
FAMILY_WORDS = (
    "Ardovin", "Belsko", "Curmava", "Drosvel", "Estravin", "Folmarek", "Gurvesh", "Helvanko", "Irsolta", "Jemarsk",
    "Kaltrovi", "Lesmarin", "Movrasta", "Nesvolik", "Ostravel", "Purmesko", "Rivolsta", "Sarvenko", "Tolvisha",
    "Urmalek",
)

# Texts that operators and communities would have written (plain data, not interface strings).
EVENT_KINDS = ("Motivation to act", "Networking evening", "Story circle", "Open space", "Neighbours' breakfast",
               "Skills exchange")
VENUE_KINDS = ("Community Hall", "Library", "Old Mill", "Garden House", "Youth Centre")
ADVANCE_REASONS = (
    "The operational plan is agreed in substance; the signed copy follows next week.",
    "The coordinators attended the networking event of another programme instead.",
    "The facilitator confirms the values session took place; the notes follow.",
)
WITHDRAW_REASONS = (
    "The coordinators asked to pause their participation for safety reasons.",
    "The community joined a neighbouring initiative and continues with it.",
)
DECLINE_MESSAGE = "Thank you for applying. This cohort is full; please apply again to the next call."
QUESTIONS = (
    ("What brings your community together?", "text", True, []),
    ("What do you want to change in the coming year?", "long_text", True, []),
    ("How many people take part in the community's work?", "choice", True, ["3-5", "6-15", "16-50", "more than 50"]),
    ("Has the community met in person in the last three months?", "yes_no", False, []),
)
ANSWERS = (
    "Our yard and the people who live around it.",
    "We want a safe playground and a place to meet in winter.",
    "Reading together, and the small library we keep.",
    "Repairing things instead of throwing them away.",
)
TIMEZONES = ("Europe/Kyiv", "Europe/Warsaw", "Europe/Vilnius", "Europe/Chisinau")


class ProgrammePlan(NamedTuple):
    share: float  # of the communities
    organisation: int  # index into the organisations
    title: str
    upcoming: bool = False  # next year's cohort: nobody enrolled yet, its call is open


PROGRAMMES = (
    ProgrammePlan(0.40, 0, "Systemic development {year}"),
    ProgrammePlan(0.15, 0, "Neighbourhood resilience {year}"),
    ProgrammePlan(0.20, 1, "Communities in motion {year}"),
    ProgrammePlan(0.10, 1, "Civic spring {year}"),
    ProgrammePlan(0.15, 2, "Local changemakers {year}"),
    ProgrammePlan(0.0, 0, "Systemic development {next_year}", upcoming=True),
)
# The running programmes started this many days ago; stage k opens STAGE_DAYS * k days after the start.
PROGRAMME_DAYS_AGO = 150
STAGE_DAYS = 60
# Communities per staff member of each role (each enrolment gets a mentor, most a facilitator, some an expert).
STAFF_LOAD = {StaffRole.MENTOR: 12, StaffRole.FACILITATOR: 10, StaffRole.EXPERT: 20}
STAFF_SHARE = {StaffRole.MENTOR: 1.0, StaffRole.FACILITATOR: 0.7, StaffRole.EXPERT: 0.4}
OPERATORS_PER_ORGANISATION = 3
# Every this-many-th community is also enrolled in a programme of another organisation.
SECOND_ENROLMENT_EVERY = 20
# With the progress module: shares of enrolments that left their programme.
WITHDRAWN_SHARE = 0.04
COMPLETED_SHARE_OF_LAST_STAGE = 0.25
# Shares of the upcoming call's applicants among the communities.
APPLYING_SHARE, DECLINED_SHARE = 0.08, 0.02
# Scholarships: applications to the showcase programme's call per community (2,000 at N = 20,000), in a cycle
# of states (the showcase's own is approved), each listed one reviewed twice.
SCHOLARSHIP_SHARE = 0.10
SCHOLARSHIP_OPEN_DAYS = 30
SCHOLARSHIP_CYCLE = ("submitted", "draft", "submitted", "declined", "approved", "submitted", "more_information",
                     "submitted", "approved", "withdrawn", "submitted", "declined", "submitted", "approved",
                     "submitted", "submitted", "draft", "submitted", "approved", "submitted")
SCHOLARSHIP_CRITERIA = (("Carries out the operational plan", 3), ("A realistic budget", 2),
                        ("Reaches people beyond the community", 1))
SCORE_GUIDANCE = ("not addressed", "weak", "partly", "adequate", "good", "excellent")
SCHOLARSHIP_DECLINED = "Thank you for applying. The plan is promising, but the budget does not yet match it."
SCHOLARSHIP_QUESTION = "Which of your plan's actions will the tools serve, and who keeps them?"
SESSIONS_PER_COURSE = 6
JOINS_COURSE = 0.75
ATTENDS_SESSION = 0.7
EVENTS_PER_COMMUNITY = 1 / 8  # events of a programme: 2 + this share of its communities
EVENTS_ATTENDED_PER_COMMUNITY = 4
ATTENDS_EVENT = 0.75


@dataclass
class ScaleReport:
    """What a run created (table -> rows), how long it took, and whom to sign in as."""

    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    already_present: bool = False
    # Well-known objects: the benchmark and the query-count tests sign in as these and open their pages.
    sign_ins: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, count: int) -> None:
        self.created[table] = self.created.get(table, 0) + count

    def lines(self) -> list[str]:
        if self.already_present:
            return ["The database already holds scale data; nothing was generated."]
        lines = [f"Generated in {self.seconds:.1f} s:"]
        lines += [f"  {table:<28} {count:>9,}" for table, count in self.created.items()]
        lines += [f"  (no {part}: {reason})" for part, reason in self.skipped.items()]
        return lines


def scale_data_present() -> bool:
    with tenancy.system_scope():
        return db.session.scalar(
            select(Organisation.id).where(Organisation.slug.like(f"{SLUG_PREFIX}%")).limit(1)
        ) is not None


def generate(n_communities: int, *, seed: int = DEFAULT_SEED, stage_types: Iterable[str] | None = None,
             now: datetime | None = None) -> ScaleReport:
    """Create `n_communities` communities with everything around them; commit; report.

    Does nothing (and says so in the report) when the database already holds scale data.
    `stage_types`: the registered stage-type keys (default: the app's).
    """
    if n_communities < 1:
        raise ValueError("n_communities must be at least 1")
    report = ScaleReport()
    if scale_data_present():
        report.already_present = True
        return report
    started = time.perf_counter()
    if stage_types is None:
        from flask import current_app

        stage_types = current_app.extensions["hromada.stage_types"]
    known = [key for key in STAGE_TYPES if key in set(stage_types)]
    if not known:
        raise ValueError("None of the stage types " + ", ".join(STAGE_TYPES) + " is registered: enable their plugins.")
    world = _World(n_communities=n_communities, rng=random.Random(seed), report=report, stage_types=known,
                   now=now or datetime.now(timezone.utc),
                   with_progress=_models("hromada.modules.progress.models", "StageProgress") is not None)
    with tenancy.system_scope():
        password_hash = hash_password(SCALE_PASSWORD)
        _organisations(world)
        _staff(world, password_hash)
        _communities(world, password_hash)
        _enrolments(world)
        for name, step in OPTIONAL_STEPS:
            reason = step(world)
            if reason:
                report.skipped[name] = reason
        _plugins(world)
        db.session.commit()
    # As pages would have over the months the data stands for: where each community stands is evaluated.
    from hromada.modules.progress.standings.evaluation import evaluate_out_of_date

    evaluate_out_of_date()
    report.seconds = time.perf_counter() - started
    return report


# --- The world being built ---------------------------------------------------


@dataclass
class _ProgrammeRow:
    id: int
    organisation_id: int
    plan: ProgrammePlan
    starts_at: datetime
    stage_ids: list[int]
    community_ids: list[int] = field(default_factory=list)

    def stage_starts_at(self, position: int) -> datetime:
        return self.starts_at + timedelta(days=STAGE_DAYS * position)


@dataclass
class _EnrolmentRow:
    id: int
    tenant_id: int
    organisation_id: int
    programme: _ProgrammeRow
    # The stages it reached, by position, and when it entered each; the last is where it is (or left from).
    entered: list[datetime]
    outcome: str  # "active", "withdrawn" or "completed"
    left_at: datetime | None
    last_activity_at: datetime | None

    @property
    def position(self) -> int:
        return len(self.entered) - 1


@dataclass
class _World:
    n_communities: int
    rng: random.Random
    report: ScaleReport
    stage_types: list[str]
    now: datetime
    with_progress: bool = False
    organisation_ids: list[int] = field(default_factory=list)
    programmes: list[_ProgrammeRow] = field(default_factory=list)
    # organisation id -> role -> user ids
    staff: dict[int, dict[StaffRole, list[int]]] = field(default_factory=dict)
    community_ids: list[int] = field(default_factory=list)
    # community id -> [(user id, role)], the coordinators first
    members: dict[int, list[tuple[int, CommunityRole]]] = field(default_factory=dict)
    enrolments: list[_EnrolmentRow] = field(default_factory=list)
    # The community whose pages the benchmark and the tests open: in the main programme's second stage.
    showcase: _EnrolmentRow | None = None
    _handles: int = 0

    def handle(self, word: str) -> str:
        """A pseudonym handle: an invented word and a running number, unique in the run."""
        self._handles += 1
        return f"{word.lower()}-{self._handles}"

    def person_name(self) -> str:
        return f"{self.rng.choice(GIVEN_WORDS)} {self.rng.choice(FAMILY_WORDS)[0]}."

    def moment(self, days_ago_from: float, days_ago_to: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(days_ago_from, days_ago_to))

    def between(self, earliest: datetime, latest: datetime) -> datetime:
        return earliest + (latest - earliest) * self.rng.random() if latest > earliest else earliest

    def operator(self, organisation_id: int) -> int:
        return self.rng.choice(self.staff[organisation_id][StaffRole.OPERATOR])

    @property
    def running(self) -> list[_ProgrammeRow]:
        return [programme for programme in self.programmes if not programme.plan.upcoming]


def _insert(model, rows: list[dict], *, returning: bool = True) -> list[int]:
    """Bulk INSERT in chunks; returns the new ids in the order of `rows` (or [] without `returning`).

    With RETURNING, SQLAlchemy batches a chunk into multi-row INSERT statements;
    without it, the driver's executemany (psycopg's pipeline mode) sends the rows
    in one round trip, which is faster on PostgreSQL for the large tables
    (psycopg parses the placeholders of a long multi-row statement slowly).
    """
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        if returning:
            statement = insert(model).returning(model.id, sort_by_parameter_order=True)
            ids.extend(db.session.scalars(statement, chunk).all())
        else:
            db.session.execute(insert(model), chunk)
    return ids


class _Stream:
    """Rows of one table written as they are made, a chunk at a time, so that memory stays flat."""

    def __init__(self, world: _World, model):
        self.world, self.model, self.rows, self.count = world, model, [], 0

    def add(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            _insert(self.model, self.rows, returning=False)
            self.count += len(self.rows)
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.world.report.add(self.model.__tablename__, self.count)


def _created(world: _World, model, rows: list[dict], *, returning: bool = True) -> list[int]:
    ids = _insert(model, rows, returning=returning) if rows else []
    world.report.add(model.__tablename__, len(rows))
    return ids


def _shares(total: int, weights: list[float], minimum_first: int = 1) -> list[int]:
    """Split `total` by `weights` (largest remainder); the first part gets at least `minimum_first`."""
    if not weights or sum(weights) <= 0:
        return [0] * len(weights)
    raw = [total * weight / sum(weights) for weight in weights]
    counts = [math.floor(value) for value in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[index] += 1
    if counts[0] < minimum_first <= total:
        donor = max(range(len(counts)), key=lambda i: counts[i])
        counts[donor] -= minimum_first - counts[0]
        counts[0] = minimum_first
    return counts


# --- The core: organisations, programmes, people, communities, enrolments -----


def _organisations(world: _World) -> None:
    rows = [
        {"slug": f"{SLUG_PREFIX}{word.lower()}", "name": f"{word} {kind}"}
        for word, kind in zip(ORGANISATION_WORDS, ORGANISATION_KINDS)
    ]
    world.organisation_ids = _created(world, Organisation, rows)
    year = world.now.year
    midnight = datetime.combine(world.now.date(), datetime.min.time(), timezone.utc)
    programme_rows, starts = [], []
    for number, plan in enumerate(PROGRAMMES):
        days = STAGE_DAYS if plan.upcoming else -PROGRAMME_DAYS_AGO
        starts_at = midnight + timedelta(days=days)
        starts.append(starts_at)
        programme_rows.append({
            "organisation_id": world.organisation_ids[plan.organisation],
            "slug": f"programme-{number + 1}-{year}",
            "title": plan.title.format(year=year, next_year=year + 1),
            "description": "A programme of three stages: incubator, accelerator and civic course.",
            "starts_on": starts_at.date(),
            "ends_on": (starts_at + timedelta(days=364)).date(),
            "stall_days": 21,
            "published_at": world.now,  # every generated programme is public, next year's with its open call
        })
    programme_ids = _created(world, Programme, programme_rows)
    stage_rows = []
    for programme_id, starts_at in zip(programme_ids, starts):
        for position, key in enumerate(world.stage_types):
            last = position == len(world.stage_types) - 1
            stage_rows.append({
                "programme_id": programme_id, "position": position, "stage_type": key, "title": "", "settings": {},
                "starts_on": (starts_at + timedelta(days=STAGE_DAYS * position)).date(),
                "ends_on": (starts_at + timedelta(days=364 if last else STAGE_DAYS * (position + 1) - 1)).date(),
            })
    stage_ids = iter(_created(world, Stage, stage_rows))
    for programme_id, row, plan, starts_at in zip(programme_ids, programme_rows, PROGRAMMES, starts):
        world.programmes.append(_ProgrammeRow(
            id=programme_id, organisation_id=row["organisation_id"], plan=plan, starts_at=starts_at,
            stage_ids=[next(stage_ids) for _ in world.stage_types],
        ))
    world.report.ids["programme_id"] = world.programmes[0].id
    world.report.ids["organisation_id"] = world.organisation_ids[0]


def _staff(world: _World, password_hash: str) -> None:
    per_programme = _shares(world.n_communities, [plan.share for plan in PROGRAMMES])
    load = {organisation_id: 0 for organisation_id in world.organisation_ids}
    for plan, count in zip(PROGRAMMES, per_programme):
        load[world.organisation_ids[plan.organisation]] += count
    users, memberships = [], []
    for organisation_id in world.organisation_ids:
        roles = {StaffRole.OPERATOR: OPERATORS_PER_ORGANISATION}
        roles.update({role: max(1, math.ceil(load[organisation_id] * STAFF_SHARE[role] / per_person))
                      for role, per_person in STAFF_LOAD.items()})
        for role, count in roles.items():
            for _ in range(count):
                users.append(_person(world, password_hash))
                memberships.append((organisation_id, role))
    user_ids = _created(world, User, users)
    rows = []
    for user_id, user, (organisation_id, role) in zip(user_ids, users, memberships):
        rows.append({"organisation_id": organisation_id, "user_id": user_id, "role": role})
        world.staff.setdefault(organisation_id, {}).setdefault(role, []).append(user_id)
        if organisation_id == world.organisation_ids[0] and role.value not in world.report.sign_ins:
            world.report.sign_ins[role.value] = user["handle"]
    _created(world, StaffMembership, rows, returning=False)
    # Staff need a second factor: every one has the published demo secret (hromada.modules.factors.published).
    _created(world, SecondFactor, [totp_row(user_id) for user_id in user_ids], returning=False)


def _person(world: _World, password_hash: str) -> dict:
    return {"handle": world.handle(world.rng.choice(GIVEN_WORDS)), "display_name": world.person_name(),
            "password_hash": password_hash, "language": world.rng.choice(("uk", "ru", "be", "en"))}


def _community_names(world: _World) -> list[str]:
    combinations = [(place, kind) for place in PLACE_WORDS for kind in COMMUNITY_KINDS]
    world.rng.shuffle(combinations)
    names = []
    for index in range(world.n_communities):
        place, kind = combinations[index % len(combinations)]
        round_ = index // len(combinations)
        names.append(f"{place} {kind}" + (f" {round_ + 1}" if round_ else ""))
    return names


def _communities(world: _World, password_hash: str) -> None:
    names = _community_names(world)
    world.community_ids = _created(world, Community, [
        {"name": name, "created_at": world.moment(PROGRAMME_DAYS_AGO, 400)} for name in names
    ])
    users, places = [], []
    for community_id in world.community_ids:
        size = world.rng.randint(*MEMBERS)
        coordinators = 1 if size < 8 else 2
        for position in range(size):
            users.append(_person(world, password_hash))
            places.append((community_id, CommunityRole.COORDINATOR if position < coordinators else CommunityRole.MEMBER))
    user_ids = _created(world, User, users)
    rows = []
    for user_id, (community_id, role) in zip(user_ids, places):
        rows.append({"tenant_id": community_id, "user_id": user_id, "role": role,
                     "created_at": world.moment(PROGRAMME_DAYS_AGO, PROGRAMME_DAYS_AGO + 30)})
        world.members.setdefault(community_id, []).append((user_id, role))
    _created(world, CommunityMembership, rows, returning=False)


def _placements(world: _World) -> list[tuple[int, _ProgrammeRow, int]]:
    """(community id, programme, stage position reached) of every enrolment."""
    counts = _shares(world.n_communities, [plan.share for plan in PROGRAMMES])
    remaining = iter(world.community_ids)
    for programme, count in zip(world.programmes, counts):
        programme.community_ids = [next(remaining) for _ in range(count)]
    placements = []
    for programme in world.running:
        stage_counts = _shares(len(programme.community_ids), list(STAGE_SHARES[: len(programme.stage_ids)]))
        positions = [position for position, count in enumerate(stage_counts) for _ in range(count)]
        placements += [(community_id, programme, position)
                       for community_id, position in zip(programme.community_ids, positions)]
    # Some communities also take part in another organisation's programme, in its first stage.
    for index, community_id in enumerate(world.community_ids[::SECOND_ENROLMENT_EVERY]):
        first = next(p for p in world.running if community_id in p.community_ids)
        others = [p for p in world.running if p.organisation_id != first.organisation_id]
        if others:
            placements.append((community_id, others[index % len(others)], 0))
    return placements


def _enrolments(world: _World) -> None:
    placements = _placements(world)
    main = world.programmes[0]
    showcase_community = next(
        (community_id for community_id, programme, position in placements if programme is main and position == 1),
        main.community_ids[0],
    )
    rows, timelines = [], []
    for community_id, programme, position in placements:
        enrolled_at = programme.starts_at + timedelta(days=world.rng.uniform(0, 10))
        entered = [enrolled_at] + [
            programme.stage_starts_at(k) + timedelta(days=world.rng.uniform(0, 20)) for k in range(1, position + 1)
        ]
        outcome, left_at = "active", None
        if world.with_progress and community_id != showcase_community:
            if world.rng.random() < WITHDRAWN_SHARE:
                outcome = "withdrawn"
            elif position == len(programme.stage_ids) - 1 and world.rng.random() < COMPLETED_SHARE_OF_LAST_STAGE:
                outcome = "completed"
            if outcome != "active":
                left_at = world.between(entered[-1], world.now - timedelta(days=1))
        # A few communities have done nothing yet; the others acted since entering their stage, mostly lately.
        last = None
        if world.rng.random() >= 0.05:
            earliest = max(entered[-1], world.now - timedelta(days=ACTIVITY_DAYS))
            latest = left_at or world.now
            last = latest - (latest - earliest) * world.rng.random() ** 3 if latest > earliest else latest
        rows.append({"tenant_id": community_id, "organisation_id": programme.organisation_id,
                     "programme_id": programme.id,
                     "current_stage_id": programme.stage_ids[position] if outcome == "active" else None,
                     "created_at": enrolled_at, "last_activity_at": last})
        timelines.append((community_id, programme, entered, outcome, left_at, last))
    ids = _created(world, Enrolment, rows)
    for enrolment_id, (community_id, programme, entered, outcome, left_at, last) in zip(ids, timelines):
        world.enrolments.append(_EnrolmentRow(
            id=enrolment_id, tenant_id=community_id, organisation_id=programme.organisation_id, programme=programme,
            entered=entered, outcome=outcome, left_at=left_at, last_activity_at=last,
        ))
    world.showcase = next(e for e in world.enrolments if e.tenant_id == showcase_community and e.programme is main)
    _staff_assignments(world)

    world.report.ids["community_id"] = world.showcase.tenant_id
    world.report.ids["enrolment_id"] = world.showcase.id
    world.report.sign_ins["coordinator"] = _handle_of(world.showcase.tenant_id, world, CommunityRole.COORDINATOR)
    world.report.sign_ins["member"] = _handle_of(world.showcase.tenant_id, world, CommunityRole.MEMBER)


def _handle_of(community_id: int, world: _World, role: CommunityRole) -> str:
    user_id = next(user_id for user_id, member_role in world.members[community_id] if member_role == role)
    return db.session.scalar(select(User.handle).where(User.id == user_id))


def _staff_assignments(world: _World) -> None:
    rows = []
    turn: dict[tuple[int, StaffRole], int] = {}
    for enrolment in world.enrolments:
        for role, share in STAFF_SHARE.items():
            # The showcase community has every role, so that each role's pages show something.
            if enrolment is not world.showcase and world.rng.random() >= share:
                continue
            people = world.staff[enrolment.organisation_id][role]
            key = (enrolment.organisation_id, role)
            if enrolment is world.showcase:
                user_id = people[0]  # the one the report names for signing in
            else:
                user_id = people[turn.get(key, 0) % len(people)]
                turn[key] = turn.get(key, 0) + 1
            rows.append({"tenant_id": enrolment.tenant_id, "organisation_id": enrolment.organisation_id,
                         "enrolment_id": enrolment.id, "user_id": user_id, "role": role})
    _created(world, StaffAssignment, rows, returning=False)


# --- Parts that depend on other modules' models --------------------------------


def _models(module: str, *names: str) -> list[Any] | None:
    """The named attributes of `module`, or None when the module or one of them does not exist (yet)."""
    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return None
    found = [getattr(loaded, name, None) for name in names]
    return None if any(item is None for item in found) else found


def _calls(world: _World) -> str | None:
    """Application questions of every programme, the open call of the upcoming one, and the applications."""
    found = _models("hromada.modules.programmes.models", "Application", "ApplicationStatus")
    engine = _models("hromada.modules.questionnaires.models", "Questionnaire", "Question", "QuestionnaireVersion",
                     "QuestionKind")
    if found is None or engine is None or not hasattr(Programme, "call_open"):
        return "the programmes module has no calls"
    Application, ApplicationStatus = found
    Questionnaire, Question, QuestionnaireVersion, QuestionKind = engine
    upcoming = next(programme for programme in world.programmes if programme.plan.upcoming)
    for programme in world.programmes:
        values = {"languages": ["uk", "en"], "language": "en", "call_text": (
            "Communities of any size may apply: tell us what brings you together and what you want to change.")}
        if programme is upcoming:
            values.update(call_open=True, call_closes_on=(world.now + timedelta(days=45)).date())
        db.session.execute(update(Programme).where(Programme.id == programme.id).values(**values))
    questionnaire_ids = _created(world, Questionnaire, [
        {"organisation_id": programme.organisation_id, "version": 1} for programme in world.programmes])
    for programme, questionnaire_id in zip(world.programmes, questionnaire_ids):
        db.session.execute(update(Programme).where(Programme.id == programme.id)
                           .values(questionnaire_id=questionnaire_id))
    question_rows = [
        {"questionnaire_id": questionnaire_id, "position": position, "label": label, "help_text": "",
         "language": "en", "translations": {}, "kind": QuestionKind(kind), "required": required, "choices": choices}
        for questionnaire_id in questionnaire_ids
        for position, (label, kind, required, choices) in enumerate(QUESTIONS)
    ]
    question_ids = _created(world, Question, question_rows)
    by_questionnaire = {}
    for question_id, row in zip(question_ids, question_rows):
        by_questionnaire.setdefault(row["questionnaire_id"], []).append((question_id, row))
    questions = {programme.id: by_questionnaire[questionnaire_id]
                 for programme, questionnaire_id in zip(world.programmes, questionnaire_ids)}
    _created(world, QuestionnaireVersion, [
        {"questionnaire_id": questionnaire_id, "version": 1, "questions": [
            {"id": question_id, "kind": row["kind"].value, "language": "en", "label": row["label"], "help_text": "",
             "translations": {}, "required": row["required"], "choices": row["choices"], "min_value": None,
             "max_value": None, "currency": None, "artefact_kind": None}
            for question_id, row in by_questionnaire[questionnaire_id]]}
        for questionnaire_id in questionnaire_ids], returning=False)

    def answers(programme_id: int) -> dict:
        result = {}
        for question_id, row in questions[programme_id]:
            kind = row["kind"].value
            result[str(question_id)] = {
                "text": ANSWERS[question_id % len(ANSWERS)], "long_text": ANSWERS[(question_id + 1) % len(ANSWERS)],
                "choice": row["choices"][question_id % len(row["choices"])] if row["choices"] else "",
                "yes_no": world.rng.random() < 0.7,
            }[kind]
        return result

    rows = []
    for enrolment in world.enrolments:
        decided_at = enrolment.entered[0] - timedelta(days=world.rng.uniform(1, 5))
        rows.append({"tenant_id": enrolment.tenant_id, "organisation_id": enrolment.organisation_id,
                     "programme_id": enrolment.programme.id, "status": ApplicationStatus.ADMITTED,
                     "answers": answers(enrolment.programme.id), "questions_version": 1,
                     "submitted_at": decided_at - timedelta(days=world.rng.uniform(3, 20)),
                     "decided_at": decided_at, "decided_by_id": world.operator(enrolment.organisation_id),
                     "decision_message": ""})
    for community_id in world.community_ids:
        draw = world.rng.random()
        if draw >= APPLYING_SHARE + DECLINED_SHARE:
            continue
        declined = draw < DECLINED_SHARE
        submitted_at = world.moment(1, 20)
        rows.append({"tenant_id": community_id, "organisation_id": upcoming.organisation_id,
                     "programme_id": upcoming.id,
                     "status": ApplicationStatus.DECLINED if declined else ApplicationStatus.SUBMITTED,
                     "answers": answers(upcoming.id), "questions_version": 1, "submitted_at": submitted_at,
                     "decided_at": world.between(submitted_at, world.now) if declined else None,
                     "decided_by_id": world.operator(upcoming.organisation_id) if declined else None,
                     "decision_message": DECLINE_MESSAGE if declined else ""})
    _created(world, Application, rows, returning=False)
    world.report.ids["call_programme_id"] = upcoming.id
    return None


def _progress(world: _World) -> str | None:
    """Each enrolment's passage through the stages it reached, and the transitions that moved it."""
    found = _models("hromada.modules.progress.models", "StageProgress", "EnrolmentTransition", "ProgressStatus",
                    "TransitionKind")
    if found is None:
        return "the progress module is not installed"
    StageProgress, EnrolmentTransition, ProgressStatus, TransitionKind = found
    progress, transitions = [], []
    for enrolment in world.enrolments:
        shared = {"tenant_id": enrolment.tenant_id, "organisation_id": enrolment.organisation_id,
                  "enrolment_id": enrolment.id}
        stage_ids = enrolment.programme.stage_ids
        transitions.append({**shared, "from_stage_id": None, "to_stage_id": stage_ids[0],
                            "kind": TransitionKind.ADMITTED, "reason": "",
                            "actor_id": world.operator(enrolment.organisation_id), "created_at": enrolment.entered[0]})
        for position, entered_at in enumerate(enrolment.entered):
            row = {**shared, "stage_id": stage_ids[position], "admitted_at": entered_at,
                   "started_at": entered_at + timedelta(days=world.rng.uniform(0.5, 5)),
                   "completed_at": None, "withdrawn_at": None}
            if position < enrolment.position:
                row.update(status=ProgressStatus.COMPLETED, completed_at=enrolment.entered[position + 1])
                override = world.rng.random() < 0.1
                transitions.append({
                    **shared, "from_stage_id": stage_ids[position], "to_stage_id": stage_ids[position + 1],
                    "kind": TransitionKind.OVERRIDE if override else TransitionKind.ADVANCED,
                    "reason": world.rng.choice(ADVANCE_REASONS) if override else "",
                    "actor_id": world.operator(enrolment.organisation_id),
                    "created_at": enrolment.entered[position + 1]})
            elif enrolment.outcome == "withdrawn":
                row.update(status=ProgressStatus.WITHDRAWN, withdrawn_at=enrolment.left_at)
                transitions.append({**shared, "from_stage_id": stage_ids[position], "to_stage_id": None,
                                    "kind": TransitionKind.WITHDRAWN, "reason": world.rng.choice(WITHDRAW_REASONS),
                                    "actor_id": world.operator(enrolment.organisation_id),
                                    "created_at": enrolment.left_at})
            elif enrolment.outcome == "completed":
                row.update(status=ProgressStatus.COMPLETED, completed_at=enrolment.left_at)
                transitions.append({**shared, "from_stage_id": stage_ids[position], "to_stage_id": None,
                                    "kind": TransitionKind.COMPLETED, "reason": "",
                                    "actor_id": world.operator(enrolment.organisation_id),
                                    "created_at": enrolment.left_at})
            elif enrolment.last_activity_at is not None and enrolment.last_activity_at >= entered_at:
                row.update(status=ProgressStatus.ACTIVE)
            else:
                row.update(status=ProgressStatus.ADMITTED, started_at=None)
            progress.append(row)
    _created(world, StageProgress, progress, returning=False)
    _created(world, EnrolmentTransition, transitions, returning=False)
    return None


def _reached(world: _World, programme: _ProgrammeRow, position: int) -> list[tuple[_EnrolmentRow, datetime, datetime]]:
    """(enrolment, entered, left) of the enrolments of `programme` that reached the stage at `position`."""
    result = []
    for enrolment in world.enrolments:
        if enrolment.programme is not programme or enrolment.position < position:
            continue
        if position < enrolment.position:
            left = enrolment.entered[position + 1]
        else:
            left = enrolment.left_at or world.now
        result.append((enrolment, enrolment.entered[position], left))
    return result


def _courses(world: _World) -> str | None:
    """The plugins' courses in every stage, their sessions, who joined, attended and read which lessons."""
    found = _models("hromada.modules.courses.models", "Course", "CourseSession", "CourseParticipant",
                    "SessionAttendance", "LessonCompletion", "CourseModule", "Lesson", "SessionMode")
    catalogue = _models("hromada.modules.courses.catalogue", "instantiate", "templates_for")
    if found is None or catalogue is None:
        return "the courses module is not installed"
    Course, CourseSession, CourseParticipant, SessionAttendance, LessonCompletion, CourseModule, Lesson, \
        SessionMode = found
    instantiate, templates_for = catalogue
    # A few dozen courses: made by the courses module itself, from the plugins' templates.
    courses = []  # (course id, programme, position)
    for programme in world.running:
        programme_object = db.session.get(Programme, programme.id)
        for position, stage_id in enumerate(programme.stage_ids):
            stage = db.session.get(Stage, stage_id)
            for template in templates_for(stage.stage_type):
                course = instantiate(template, programme_object, stage)
                courses.append((course.id, programme, position))
    world.report.add(Course.__tablename__, len(courses))
    course_ids = [course_id for course_id, _, _ in courses]
    lessons: dict[int, list[int]] = {course_id: [] for course_id in course_ids}
    if course_ids:
        world.report.add(CourseModule.__tablename__, db.session.scalar(
            select(func.count()).select_from(CourseModule).where(CourseModule.course_id.in_(course_ids))))
        for course_id, lesson_id in db.session.execute(
            select(CourseModule.course_id, Lesson.id).join(Lesson, Lesson.module_id == CourseModule.id)
            .where(CourseModule.course_id.in_(course_ids)).order_by(CourseModule.position, Lesson.position)
        ):
            lessons[course_id].append(lesson_id)
        world.report.add(Lesson.__tablename__, sum(len(ids) for ids in lessons.values()))

    session_rows = []
    for course_id, programme, position in courses:
        opens = programme.stage_starts_at(position)
        for number in range(SESSIONS_PER_COURSE):
            starts_at = opens + timedelta(days=5 + 9 * number, hours=17)
            online = number % 2 == 0
            place = f"{PLACE_WORDS[course_id % len(PLACE_WORDS)]} {VENUE_KINDS[number % len(VENUE_KINDS)]}"
            session_rows.append({
                "course_id": course_id, "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=2),
                "timezone": TIMEZONES[course_id % len(TIMEZONES)],
                "mode": SessionMode.ONLINE if online else SessionMode.OFFLINE,
                "link": f"https://meet.example.org/course-{course_id}-{number + 1}" if online else None,
                "place": None if online else place, "capacity": None,
            })
    session_ids = _created(world, CourseSession, session_rows)
    sessions: dict[int, list[tuple[int, datetime]]] = {}
    for session_id, row in zip(session_ids, session_rows):
        sessions.setdefault(row["course_id"], []).append((session_id, row["starts_at"]))

    participants = []
    attendance, completions = _Stream(world, SessionAttendance), _Stream(world, LessonCompletion)
    for course_id, programme, position in courses:
        for enrolment, entered, left in _reached(world, programme, position):
            finished_stage = position < enrolment.position or enrolment.outcome == "completed"
            shared = {"tenant_id": enrolment.tenant_id, "organisation_id": enrolment.organisation_id}
            for user_id, _role in world.members[enrolment.tenant_id]:
                if world.rng.random() >= JOINS_COURSE:
                    continue
                joined_at = world.between(entered, min(entered + timedelta(days=5), world.now))
                participants.append({**shared, "course_id": course_id, "user_id": user_id, "joined_at": joined_at})
                for session_id, starts_at in sessions[course_id]:
                    if joined_at <= starts_at <= min(left, world.now):
                        attendance.add({**shared, "session_id": session_id, "user_id": user_id,
                                           "attended": world.rng.random() < ATTENDS_SESSION,
                                           "marked_by_id": world.operator(enrolment.organisation_id),
                                           "marked_at": min(starts_at + timedelta(hours=20), world.now)})
                # Lessons read in order: most of them in a finished stage, fewer in the current one.
                done_share = world.rng.uniform(0.5, 1.0) if finished_stage else world.rng.random() ** 2
                for lesson_id in lessons[course_id][: round(done_share * len(lessons[course_id]))]:
                    completions.add({**shared, "lesson_id": lesson_id, "user_id": user_id,
                                     "completed_at": world.between(joined_at, min(left, world.now))})
    _created(world, CourseParticipant, participants, returning=False)
    attendance.close()
    completions.close()
    showcase_courses = [course_id for course_id, programme, position in courses
                        if programme is world.showcase.programme and position == world.showcase.position]
    if showcase_courses:
        course_id = world.report.ids["course_id"] = showcase_courses[0]
        # A session that took place (its attendance is marked), else the first.
        held = [session_id for session_id, starts_at in sessions[course_id] if starts_at <= world.now]
        world.report.ids["course_session_id"] = (held or [sessions[course_id][0][0]])[-1]
    return None


def _events(world: _World) -> str | None:
    """Networking events of every programme, registrations, attendance and the follow-up checklists."""
    found = _models("hromada.modules.events.models", "NetworkingEvent", "EventRegistration", "FollowUpItem",
                    "EventMode")
    labels = _models("hromada.modules.events.labels", "FOLLOW_UP_KINDS")
    if found is None or labels is None:
        return "the events module is not installed"
    NetworkingEvent, EventRegistration, FollowUpItem, EventMode = found
    (follow_up_kinds,) = labels
    span = PROGRAMME_DAYS_AGO + 30  # from the start of the programmes to a month ahead
    plans = []  # [event row, programme, stage position or None]
    for programme in world.running:
        count = 2 + math.ceil(len(programme.community_ids) * EVENTS_PER_COMMUNITY)
        for number in range(count):
            # The last one a month ahead: however few there are, and at whatever hour the data is made,
            # a running programme always has an event to come (the pages that list them have work to do).
            starts_at = programme.starts_at + timedelta(days=span * (number + 1) / count, hours=18)
            position = min(int((starts_at - programme.starts_at).days // STAGE_DAYS), len(programme.stage_ids) - 1)
            stage_position = None if number % 3 == 0 else position
            online = number % 2 == 1
            venue = f"{PLACE_WORDS[(programme.id + number) % len(PLACE_WORDS)]} {VENUE_KINDS[number % len(VENUE_KINDS)]}"
            row = {
                "organisation_id": programme.organisation_id, "programme_id": programme.id,
                "stage_id": None if stage_position is None else programme.stage_ids[stage_position],
                "title": f"{EVENT_KINDS[number % len(EVENT_KINDS)]} #{number + 1}",
                "description": "Meet the other communities of the programme, share what works and plan together.",
                "mode": EventMode.ONLINE if online else EventMode.OFFLINE,
                "place": "" if online else venue,
                "link": f"https://meet.example.org/event-{programme.id}-{number + 1}" if online else None,
                "timezone": TIMEZONES[number % len(TIMEZONES)],
                "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=2, minutes=30),
                "capacity": None if online else world.rng.choice((40, 60, 100, 150)),
                "registered_count": 0, "created_by_id": world.operator(programme.organisation_id),
            }
            plans.append([row, programme, stage_position])

    registrations = []  # [plan index, registration row]
    for programme in world.running:
        indices = [index for index, (_row, owner, _position) in enumerate(plans) if owner is programme]
        for enrolment in (e for e in world.enrolments if e.programme is programme):
            eligible = [
                index for index in indices
                if (plans[index][2] is None or plans[index][2] <= enrolment.position)
                and plans[index][0]["starts_at"] >= enrolment.entered[0]
                and (enrolment.left_at is None or plans[index][0]["starts_at"] <= enrolment.left_at)
            ]
            chance = min(1.0, EVENTS_ATTENDED_PER_COMMUNITY / max(len(eligible), 1))
            members = [user_id for user_id, _role in world.members[enrolment.tenant_id]]
            for index in eligible:
                if world.rng.random() >= chance:
                    continue
                row = plans[index][0]
                for user_id in world.rng.sample(members, k=min(len(members), world.rng.randint(1, 3))):
                    if row["capacity"] is not None and row["registered_count"] >= row["capacity"]:
                        break
                    row["registered_count"] += 1
                    past = row["ends_at"] <= world.now
                    attended = past and world.rng.random() < ATTENDS_EVENT
                    registrations.append([index, {
                        "tenant_id": enrolment.tenant_id, "organisation_id": enrolment.organisation_id,
                        "user_id": user_id,
                        "registered_at": min(row["starts_at"] - timedelta(days=world.rng.uniform(1, 10)), world.now),
                        "attended": attended,
                        "attended_marked_by_id": world.operator(enrolment.organisation_id) if past else None,
                        "attended_marked_at": row["ends_at"] + timedelta(hours=1) if past else None,
                    }])
    event_ids = _created(world, NetworkingEvent, [row for row, _programme, _position in plans])
    for index, row in registrations:
        row["event_id"] = event_ids[index]
    _created(world, EventRegistration, [row for _index, row in registrations], returning=False)

    follow_up = []
    for event_id, (row, programme, _position) in zip(event_ids, plans):
        past = row["ends_at"] <= world.now
        owners = world.staff[programme.organisation_id][StaffRole.OPERATOR] + \
            world.staff[programme.organisation_id].get(StaffRole.FACILITATOR, [])
        for kind in follow_up_kinds:
            done = past and world.rng.random() < 0.6
            follow_up.append({"event_id": event_id, "kind": kind, "owner_id": world.rng.choice(owners),
                              "owner_note": "", "done_at": row["ends_at"] + timedelta(days=2) if done else None,
                              "done_by_id": world.operator(programme.organisation_id) if done else None})
    _created(world, FollowUpItem, follow_up, returning=False)
    main_events = [event_id for event_id, (row, programme, _p) in zip(event_ids, plans)
                   if programme is world.showcase.programme]
    if main_events:
        world.report.ids["event_id"] = main_events[0]
    return None


PROPOSAL_TITLES = (
    "Meet on the first Saturday of the month", "Open a shared account for the tool library",
    "Invite the neighbouring yard to our autumn clean-up", "Keep our member list on paper only",
    "Ask the district for a meeting room", "Hold one online meeting a month for those who moved away",
)
PROPOSALS_PER_COMMUNITY = 3  # the last one open, the others decided
TAKES_A_POSITION = 0.7


def _decisions(world: _World) -> str | None:
    """Each community's proposals: some decided with their outcome, one open, members' positions on all."""
    found = _models("hromada.modules.decisions.models", "Proposal", "Position", "DecisionMethod", "Stance", "STANCES")
    if found is None:
        return "the decisions module is not installed"
    Proposal, Position, DecisionMethod, Stance, STANCES = found
    from hromada.modules.decisions import rules

    methods = list(DecisionMethod)
    plans = []  # [proposal row, [position rows]]
    for community_id, members in world.members.items():
        shared_with = next((e.programme.id for e in world.enrolments if e.tenant_id == community_id), None)
        for number in range(PROPOSALS_PER_COMMUNITY):
            method = methods[(community_id + number) % len(methods)]
            title = PROPOSAL_TITLES[(community_id + number) % len(PROPOSAL_TITLES)]
            text = f"{title}. Proposed by the coordinator after the last meeting."
            is_open = number == PROPOSALS_PER_COMMUNITY - 1
            opened = world.now - timedelta(days=2 if is_open else 40 - 15 * number, minutes=community_id % 60)
            closes = opened + timedelta(days=7)
            counts: dict = {}
            positions = []
            for user_id, _role in members:
                if world.rng.random() >= TAKES_A_POSITION:
                    continue
                stance = world.rng.choice(STANCES[method])
                counts[stance] = counts.get(stance, 0) + 1
                positions.append({"tenant_id": community_id, "user_id": user_id, "stance": stance,
                                  "reason": "I need more time to think about it." if stance in (
                                      Stance.OBJECT, Stance.BLOCK) else "",
                                  "updated_at": opened + timedelta(hours=3)})
            row = {"tenant_id": community_id, "title": f"{title} ({number + 1})", "text": text,
                   "fingerprint": rules.fingerprint(text), "subject_type": None, "subject_id": None,
                   "subject_version": None, "programme_id": shared_with if number % 2 == 0 else None,
                   "method": method, "quorum_percent": 50 if method is DecisionMethod.VOTE else 0,
                   "threshold_percent": 50, "electorate": len(members), "opened_at": opened, "closes_at": closes,
                   "proposed_by_id": members[0][0], "closed_at": None, "passed": None, "tally": None}
            if not is_open:
                result = rules.result(method, counts, electorate=len(members), quorum_percent=row["quorum_percent"],
                                      threshold_percent=50)
                row.update(closed_at=closes, passed=result.passed, tally={
                    "counts": {stance.value: count for stance, count in counts.items()}, "participants": [],
                    "explanation": result.explanation})
            plans.append((row, positions))
    proposal_ids = _created(world, Proposal, [row for row, _positions in plans])
    stream = _Stream(world, Position)
    for proposal_id, (_row, positions) in zip(proposal_ids, plans):
        for position in positions:
            stream.add({**position, "proposal_id": proposal_id})
    stream.close()
    showcase = [proposal_id for proposal_id, (row, _p) in zip(proposal_ids, plans)
                if row["tenant_id"] == world.showcase.tenant_id]
    if showcase:
        world.report.ids["proposal_id"] = showcase[-1]
    return None


# --- What plugins add --------------------------------------------------------------


@dataclass(frozen=True)
class ScaleCommunity:
    """One enrolment of the generated data, as `hromada_scale_data` receives it."""

    tenant_id: int
    organisation_id: int
    programme_id: int
    stage_type: str | None  # the stage it is in now; None once it left the programme
    entered_stage_at: datetime
    member_ids: tuple[int, ...]  # the coordinators first


@dataclass
class ScaleData:
    """What a plugin's `hromada_scale_data` builds on (hookspecs.py and docs/plugins.md say how)."""

    rng: random.Random
    now: datetime
    communities: list[ScaleCommunity]
    showcase: ScaleCommunity
    ids: dict[str, int]
    report: ScaleReport

    def insert(self, model, rows: list[dict], *, returning: bool = True) -> list[int]:
        """Bulk INSERT of `rows` in chunks, counted in the report; the new ids (none without `returning`)."""
        self.report.add(model.__tablename__, len(rows))
        return _insert(model, rows, returning=returning) if rows else []


def _plugins(world: _World) -> None:
    """Each plugin's rows, through `hromada_scale_data` (the core never knows the plugins)."""
    from flask import current_app

    manager = current_app.extensions.get("hromada.plugins")
    if manager is None:
        return
    communities = []
    for enrolment in world.enrolments:
        active = enrolment.outcome == "active"
        communities.append(ScaleCommunity(
            tenant_id=enrolment.tenant_id, organisation_id=enrolment.organisation_id,
            programme_id=enrolment.programme.id,
            stage_type=world.stage_types[enrolment.position] if active else None,
            entered_stage_at=enrolment.entered[-1],
            member_ids=tuple(user_id for user_id, _role in world.members.get(enrolment.tenant_id, []))))
    showcase = next(c for c in communities if c.tenant_id == world.showcase.tenant_id
                    and c.programme_id == world.showcase.programme.id)
    manager.hook.hromada_scale_data(scale=ScaleData(rng=world.rng, now=world.now, communities=communities,
                                                    showcase=showcase, ids=world.report.ids, report=world.report))


# (name, step): each step returns None when done, or why it could not run.


def _scholarships(world: _World) -> str | None:
    """Two scholarship calls with a rubric, applications in every state and their reviews: the showcase
    programme's accelerator call with one application for every SCHOLARSHIP_SHARE of N (2,000 at N = 20,000),
    and a smaller civic-course call of another organisation."""
    found = _models("hromada.modules.scholarships.models", "ScholarshipCall", "ScholarshipApplication",
                    "ScholarshipStatus", "Criterion", "Review", "ReviewStatus", "Tranche")
    engine = _models("hromada.modules.questionnaires.models", "Questionnaire", "Question", "QuestionnaireVersion",
                     "QuestionKind")
    if found is None or engine is None:
        return "the scholarships module is not installed"
    # Its own generator, drawn once from the run's: the later steps' data does not depend on how many
    # applications and reviews are drawn here.
    rng = random.Random(world.rng.getrandbits(32))
    main = world.showcase.programme
    size = max(1, round(world.n_communities * SCHOLARSHIP_SHARE))
    call_id, application_id = _scholarship_call(
        world, rng, main, title="Accelerator scholarships", stage_position=1, size=size, showcase=world.showcase)
    world.report.ids["scholarship_application_id"] = application_id
    world.report.ids["scholarship_call_id"] = call_id
    world.report.ids["scholarship_programme_id"] = main.id
    other = next((programme for programme in world.running if programme.organisation_id != main.organisation_id),
                 None)
    if other is not None:
        _scholarship_call(world, rng, other, title="Change-map scholarships", stage_position=2,
                          size=max(1, size // 5), showcase=None)
    return None


def _scholarship_call(world: _World, rng: random.Random, programme: _ProgrammeRow, *, title: str,
                      stage_position: int, size: int, showcase: _EnrolmentRow | None) -> tuple[int, int]:
    """A call of `programme` with `size` applications (fewer if the programme has fewer communities), their
    reviews and the approved ones' tranches. Returns the call's id and the showcase's (or the first) application's."""
    (ScholarshipCall, ScholarshipApplication, ScholarshipStatus, Criterion, Review, ReviewStatus,
     Tranche) = _models("hromada.modules.scholarships.models", "ScholarshipCall", "ScholarshipApplication",
                        "ScholarshipStatus", "Criterion", "Review", "ReviewStatus", "Tranche")
    Questionnaire, Question, QuestionnaireVersion, QuestionKind = _models(
        "hromada.modules.questionnaires.models", "Questionnaire", "Question", "QuestionnaireVersion", "QuestionKind")
    organisation_id = programme.organisation_id
    (questionnaire_id,) = _created(world, Questionnaire, [{"organisation_id": organisation_id, "version": 1}])
    label = "What will the scholarship change for your community?"
    (question_id,) = _created(world, Question, [
        {"questionnaire_id": questionnaire_id, "position": 0, "kind": QuestionKind.LONG_TEXT, "language": "en",
         "label": label, "help_text": "", "translations": {}, "required": True, "choices": []}])
    _created(world, QuestionnaireVersion, [{"questionnaire_id": questionnaire_id, "version": 1, "questions": [
        {"id": question_id, "kind": "long_text", "language": "en", "label": label, "help_text": "",
         "translations": {}, "required": True, "choices": [], "min_value": None, "max_value": None,
         "currency": None, "artefact_kind": None}]}], returning=False)
    opens = (world.now - timedelta(days=SCHOLARSHIP_OPEN_DAYS)).date()
    (call_id,) = _created(world, ScholarshipCall, [{
        "organisation_id": organisation_id, "programme_id": programme.id,
        "stage_id": programme.stage_ids[min(stage_position, len(programme.stage_ids) - 1)], "title": title,
        "purpose": "Small grants for the first actions of the community's plan.",
        "budget_minor": max(500_000_000, size * 2_000_000), "budget_currency": "UAH",
        "max_per_community_minor": 5_000_000, "opens_on": opens, "closes_on": opens + timedelta(days=45),
        "progress_report_due": opens + timedelta(days=90), "final_report_due": opens + timedelta(days=200),
        "questionnaire_id": questionnaire_id,
        "tranche_plan": [{"share": 60, "condition": "on_approval"},
                         {"share": 40, "condition": "progress_report_approved"}]}])
    criteria = list(zip(_created(world, Criterion, [
        {"call_id": call_id, "position": position, "title": criterion, "weight": weight,
         "guidance": [f"{point}: {text}" for point, text in enumerate(SCORE_GUIDANCE)]}
        for position, (criterion, weight) in enumerate(SCHOLARSHIP_CRITERIA)]), (w for _c, w in SCHOLARSHIP_CRITERIA)))

    enrolments = [enrolment for enrolment in world.enrolments if enrolment.programme is programme
                  and (showcase is None or enrolment.tenant_id != showcase.tenant_id)]
    chosen = ([showcase] if showcase is not None else []) + enrolments
    chosen = list({enrolment.tenant_id: enrolment for enrolment in chosen}.values())[:size]
    staff = world.staff[organisation_id]
    # One reviewer reads every application of the main call (the benchmark's long list); a second one is drawn.
    first_reviewer = staff[StaffRole.OPERATOR][min(1, len(staff[StaffRole.OPERATOR]) - 1)]
    others = [user_id for role_ids in staff.values() for user_id in role_ids if user_id != first_reviewer]
    if showcase is not None:
        world.report.sign_ins["reviewer"] = db.session.scalar(select(User.handle).where(User.id == first_reviewer))

    rows, plans = [], []
    for index, enrolment in enumerate(chosen):
        status = ScholarshipStatus(SCHOLARSHIP_CYCLE[index % len(SCHOLARSHIP_CYCLE)])
        if index == 0 and showcase is not None:
            status = ScholarshipStatus.APPROVED
        requested = rng.randrange(100_000, 5_000_000, 100)
        submitted_at = world.moment(1, SCHOLARSHIP_OPEN_DAYS - 1)
        determined = status in (ScholarshipStatus.APPROVED, ScholarshipStatus.DECLINED,
                                ScholarshipStatus.MORE_INFORMATION)
        determined_at = world.between(submitted_at, world.now) if determined else None
        approved = requested - requested % 10_000 if status == ScholarshipStatus.APPROVED else None
        rows.append({
            "tenant_id": enrolment.tenant_id, "organisation_id": organisation_id, "call_id": call_id,
            "status": status, "requested_minor": requested, "requested_currency": "UAH",
            "answers": {str(question_id): ANSWERS[index % len(ANSWERS)]}, "questions_version": 1,
            "submitted_at": None if status == ScholarshipStatus.DRAFT else submitted_at,
            "withdrawn_at": world.between(submitted_at, world.now) if status == ScholarshipStatus.WITHDRAWN else None,
            "approved_minor": approved or None, "determined_at": determined_at,
            "determined_by_id": world.operator(organisation_id) if determined else None,
            "determination_message": {ScholarshipStatus.DECLINED: SCHOLARSHIP_DECLINED,
                                      ScholarshipStatus.MORE_INFORMATION: SCHOLARSHIP_QUESTION}.get(status, ""),
        })
        plans.append(status)
    application_ids = _created(world, ScholarshipApplication, rows)

    reviews, tranches = [], []
    for application_id, row, status in zip(application_ids, rows, plans):
        if status == ScholarshipStatus.DRAFT:
            continue
        for reviewer_id in (first_reviewer, rng.choice(others) if others else None):
            if reviewer_id is None:
                continue
            if status == ScholarshipStatus.SUBMITTED or status == ScholarshipStatus.WITHDRAWN:
                draw = rng.random()
                state = (ReviewStatus.RECUSED if draw < 0.05 else ReviewStatus.ASSIGNED if draw < 0.3
                         else ReviewStatus.REVIEWING if draw < 0.6 else ReviewStatus.SUBMITTED)
            else:
                state = ReviewStatus.SUBMITTED
            assigned_at = world.between(row["submitted_at"], world.now)
            review = {"organisation_id": organisation_id, "call_id": call_id, "application_id": application_id,
                      "reviewer_id": reviewer_id, "status": state, "comment": "", "scores": {},
                      "recommendation": None, "weighted_total": None, "created_at": assigned_at,
                      "declared_at": None if state == ReviewStatus.ASSIGNED else assigned_at, "submitted_at": None}
            if state == ReviewStatus.SUBMITTED:
                scores = {str(criterion_id): {"score": rng.randint(1, 5), "comment": ""}
                          for criterion_id, _weight in criteria}
                total = round(sum(weight * scores[str(criterion_id)]["score"] for criterion_id, weight in criteria)
                              / sum(weight for _id, weight in criteria), 2)
                review.update(scores=scores, weighted_total=total, submitted_at=assigned_at,
                              recommendation="fund" if total >= 3.5 else "maybe" if total >= 2.5 else "do_not_fund",
                              comment="A clear plan; the budget could say more about the tools.")
            reviews.append(review)
        if status == ScholarshipStatus.APPROVED:
            approved = row["approved_minor"]
            first = approved * 60 // 100
            paid = len(tranches) % 4 == 0  # every other approved application has its first tranche paid
            tranches += [
                {"tenant_id": row["tenant_id"], "organisation_id": organisation_id, "call_id": call_id,
                 "application_id": application_id, "position": 0, "share": 60, "amount_minor": first,
                 "currency": "UAH", "condition": "on_approval", "released_at": row["determined_at"],
                 "paid_on": row["determined_at"].date() if paid else None,
                 "payment_reference": f"PAY-{application_id:06d}" if paid else ""},
                {"tenant_id": row["tenant_id"], "organisation_id": organisation_id, "call_id": call_id,
                 "application_id": application_id, "position": 1, "share": 40, "amount_minor": approved - first,
                 "currency": "UAH", "condition": "progress_report_approved", "released_at": None, "paid_on": None,
                 "payment_reference": ""}]
    _created(world, Review, reviews, returning=False)
    _created(world, Tranche, tranches, returning=False)
    return call_id, application_ids[0]


OPTIONAL_STEPS: list[tuple[str, Callable[[_World], str | None]]] = [
    ("calls and applications", _calls),
    ("scholarship calls and applications", _scholarships),
    ("stage progress and transitions", _progress),
    ("courses", _courses),
    ("networking events", _events),
    ("decisions", _decisions),
]


# --- The command line ------------------------------------------------------------


def scale_command(n_communities: int, seed: int | None = None) -> ScaleReport:
    """`flask --app hromada demo --scale N`: generate, then print what was made and whom to sign in as."""
    import click

    click.echo(f"Generating {n_communities:,} communities (seed {seed if seed is not None else DEFAULT_SEED})...")
    try:
        report = generate(n_communities, seed=DEFAULT_SEED if seed is None else seed)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for line in report.lines():
        click.echo(line)
    if not report.already_present:
        click.echo(f"Sign-ins (password for each: {SCALE_PASSWORD}):")
        for role, handle in report.sign_ins.items():
            click.echo(f"  {handle:<24} {role}")
        click.echo(f"Staff's authenticator secret (published, as the demo's): {DEMO_TOTP_SECRET}")
        click.echo("Objects: " + ", ".join(f"{name}={value}" for name, value in report.ids.items()))
    return report
