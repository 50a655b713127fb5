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
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Iterable

from sqlalchemy import func, insert, select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership, StaffRole, User
from hromada.modules.accounts.passwords import hash_password
from hromada.modules.communities.models import Community, Enrolment, StaffAssignment
from hromada.modules.programmes.models import Organisation, Programme, Stage

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

# (share of the communities, organisation index, title) of each programme: one large cohort, smaller ones.
PROGRAMMES = (
    (0.40, 0, "Systemic development {year}"),
    (0.15, 0, "Neighbourhood resilience {year}"),
    (0.20, 1, "Communities in motion {year}"),
    (0.10, 1, "Civic spring {year}"),
    (0.15, 2, "Local changemakers {year}"),
)
# Communities per staff member of each role (each enrolment gets a mentor, most a facilitator, some an expert).
STAFF_LOAD = {StaffRole.MENTOR: 12, StaffRole.FACILITATOR: 10, StaffRole.EXPERT: 20}
STAFF_SHARE = {StaffRole.MENTOR: 1.0, StaffRole.FACILITATOR: 0.7, StaffRole.EXPERT: 0.4}
OPERATORS_PER_ORGANISATION = 3
# Every this-many-th community is also enrolled in a programme of another organisation.
SECOND_ENROLMENT_EVERY = 20


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
        return db.session.scalar(select(Organisation.id).where(Organisation.slug.like(f"{SLUG_PREFIX}%")).limit(1)) is not None


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
    world = _World(n_communities=n_communities, rng=random.Random(seed), report=report,
                   stage_types=[key for key in STAGE_TYPES if key in set(stage_types)],
                   now=now or datetime.now(timezone.utc))
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
        db.session.commit()
    report.seconds = time.perf_counter() - started
    return report


# --- The world being built ---------------------------------------------------


@dataclass
class _ProgrammeRow:
    id: int
    organisation_id: int
    title: str
    starts_on: date
    stage_ids: list[int]
    community_ids: list[int] = field(default_factory=list)


@dataclass
class _EnrolmentRow:
    id: int
    tenant_id: int
    organisation_id: int
    programme: _ProgrammeRow
    stage_position: int  # index into programme.stage_ids
    last_activity_at: datetime | None


@dataclass
class _World:
    n_communities: int
    rng: random.Random
    report: ScaleReport
    stage_types: list[str]
    now: datetime
    organisation_ids: list[int] = field(default_factory=list)
    programmes: list[_ProgrammeRow] = field(default_factory=list)
    # organisation id -> role -> user ids
    staff: dict[int, dict[StaffRole, list[int]]] = field(default_factory=dict)
    community_ids: list[int] = field(default_factory=list)
    # community id -> [(user id, role)], the coordinator first
    members: dict[int, list[tuple[int, CommunityRole]]] = field(default_factory=dict)
    enrolments: list[_EnrolmentRow] = field(default_factory=list)
    _handles: int = 0

    def handle(self, word: str) -> str:
        """A pseudonym handle: an invented word and a running number, unique in the run."""
        self._handles += 1
        return f"{word.lower()}-{self._handles}"

    def person_name(self) -> str:
        return f"{self.rng.choice(GIVEN_WORDS)} {self.rng.choice(FAMILY_WORDS)[0]}."

    def moment(self, days_ago_from: float, days_ago_to: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(days_ago_from, days_ago_to))


def _insert(model, rows: list[dict], *, returning: bool = True) -> list[int]:
    """Bulk INSERT in chunks; returns the new ids in the order of `rows`."""
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        if returning:
            statement = insert(model).returning(model.id, sort_by_parameter_order=True)
            ids.extend(db.session.scalars(statement, chunk).all())
        else:
            db.session.execute(insert(model), chunk)
    return ids


def _created(world: _World, model, rows: list[dict], *, returning: bool = True) -> list[int]:
    ids = _insert(model, rows, returning=returning)
    world.report.add(model.__tablename__, len(rows))
    return ids


def _shares(total: int, weights: list[float], minimum_first: int = 1) -> list[int]:
    """Split `total` by `weights` (largest remainder); the first part gets at least `minimum_first`."""
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
    programme_rows = []
    for number, (_share, organisation_index, title) in enumerate(PROGRAMMES):
        starts_on = (world.now - timedelta(days=ACTIVITY_DAYS + 30)).date()
        programme_rows.append({
            "organisation_id": world.organisation_ids[organisation_index],
            "slug": f"programme-{number + 1}-{year}",
            "title": title.format(year=year),
            "description": "A programme of three stages: incubator, accelerator and civic course.",
            "starts_on": starts_on,
            "ends_on": starts_on + timedelta(days=365),
            "stall_days": 21,
        })
    programme_ids = _created(world, Programme, programme_rows)
    stage_rows = [
        {"programme_id": programme_id, "position": position, "stage_type": key, "title": "", "settings": {},
         "starts_on": row["starts_on"] + timedelta(days=120 * position),
         "ends_on": row["starts_on"] + timedelta(days=120 * (position + 1) - 1)}
        for programme_id, row in zip(programme_ids, programme_rows)
        for position, key in enumerate(world.stage_types)
    ]
    stage_ids = iter(_created(world, Stage, stage_rows))
    for programme_id, row in zip(programme_ids, programme_rows):
        world.programmes.append(_ProgrammeRow(
            id=programme_id, organisation_id=row["organisation_id"], title=row["title"], starts_on=row["starts_on"],
            stage_ids=[next(stage_ids) for _ in world.stage_types],
        ))
    world.report.ids["programme_id"] = world.programmes[0].id
    world.report.ids["organisation_id"] = world.organisation_ids[0]


def _staff(world: _World, password_hash: str) -> None:
    per_organisation = _shares(world.n_communities, [share for share, *_ in PROGRAMMES])
    load = {organisation_id: 0 for organisation_id in world.organisation_ids}
    for (_share, organisation_index, _title), count in zip(PROGRAMMES, per_organisation):
        load[world.organisation_ids[organisation_index]] += count
    users, memberships = [], []
    for organisation_id in world.organisation_ids:
        roles = {StaffRole.OPERATOR: OPERATORS_PER_ORGANISATION}
        roles.update({role: max(1, math.ceil(load[organisation_id] * STAFF_SHARE[role] / per_person))
                      for role, per_person in STAFF_LOAD.items()})
        for role, count in roles.items():
            for _ in range(count):
                users.append({"handle": world.handle(world.rng.choice(GIVEN_WORDS)), "display_name": world.person_name(),
                              "password_hash": password_hash, "language": world.rng.choice(("uk", "ru", "be", "en"))})
                memberships.append((organisation_id, role))
    user_ids = _created(world, User, users)
    rows = []
    for user_id, user, (organisation_id, role) in zip(user_ids, users, memberships):
        rows.append({"organisation_id": organisation_id, "user_id": user_id, "role": role})
        world.staff.setdefault(organisation_id, {}).setdefault(role, []).append(user_id)
        key = role.value
        if organisation_id == world.organisation_ids[0] and key not in world.report.sign_ins:
            world.report.sign_ins[key] = user["handle"]
    _created(world, StaffMembership, rows, returning=False)


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
        {"name": name, "created_at": world.moment(ACTIVITY_DAYS + 30, 400)} for name in names
    ])
    users, places = [], []
    for community_id in world.community_ids:
        size = world.rng.randint(*MEMBERS)
        coordinators = 1 if size < 8 else 2
        for position in range(size):
            users.append({"handle": world.handle(world.rng.choice(GIVEN_WORDS)), "display_name": world.person_name(),
                          "password_hash": password_hash, "language": world.rng.choice(("uk", "ru", "be", "en"))})
            places.append((community_id, CommunityRole.COORDINATOR if position < coordinators else CommunityRole.MEMBER))
    user_ids = _created(world, User, users)
    rows = []
    for user_id, user, (community_id, role) in zip(user_ids, users, places):
        rows.append({"tenant_id": community_id, "user_id": user_id, "role": role,
                     "created_at": world.moment(ACTIVITY_DAYS, ACTIVITY_DAYS + 30)})
        world.members.setdefault(community_id, []).append((user_id, role))
    _created(world, CommunityMembership, rows, returning=False)


def _enrolments(world: _World) -> None:
    counts = _shares(world.n_communities, [share for share, *_ in PROGRAMMES])
    remaining = iter(world.community_ids)
    for programme, count in zip(world.programmes, counts):
        programme.community_ids = [next(remaining) for _ in range(count)]
    placements = []  # (community id, programme, stage position)
    for programme in world.programmes:
        stage_counts = _shares(len(programme.community_ids), list(STAGE_SHARES[: len(programme.stage_ids)]))
        positions = [position for position, count in enumerate(stage_counts) for _ in range(count)]
        placements += [(community_id, programme, position)
                       for community_id, position in zip(programme.community_ids, positions)]
    # Some communities also take part in another organisation's programme, in its first stage.
    for index, community_id in enumerate(world.community_ids[::SECOND_ENROLMENT_EVERY]):
        first = next(p for p in world.programmes if community_id in p.community_ids)
        others = [p for p in world.programmes if p.organisation_id != first.organisation_id]
        if others:
            placements.append((community_id, others[index % len(others)], 0))

    rows = []
    for community_id, programme, position in placements:
        # A few communities have done nothing yet; the others acted at some point in the last 120 days.
        last = None if world.rng.random() < 0.05 else world.moment(0, ACTIVITY_DAYS)
        rows.append({"tenant_id": community_id, "organisation_id": programme.organisation_id,
                     "programme_id": programme.id, "current_stage_id": programme.stage_ids[position] if programme.stage_ids else None,
                     "created_at": datetime.combine(programme.starts_on, datetime.min.time(), timezone.utc),
                     "last_activity_at": last})
    ids = _created(world, Enrolment, rows)
    for enrolment_id, row, (community_id, programme, position) in zip(ids, rows, placements):
        world.enrolments.append(_EnrolmentRow(id=enrolment_id, tenant_id=community_id,
                                              organisation_id=programme.organisation_id, programme=programme,
                                              stage_position=position, last_activity_at=row["last_activity_at"]))
    _staff_assignments(world)

    main = world.programmes[0]
    first_community = main.community_ids[0]
    world.report.ids["community_id"] = first_community
    world.report.ids["enrolment_id"] = next(e.id for e in world.enrolments if e.tenant_id == first_community
                                            and e.programme is main)
    world.report.sign_ins["coordinator"] = _handle_of(world, first_community, CommunityRole.COORDINATOR)
    world.report.sign_ins["member"] = _handle_of(world, first_community, CommunityRole.MEMBER)


def _handle_of(world: _World, community_id: int, role: CommunityRole) -> str:
    user_id = next(user_id for user_id, member_role in world.members[community_id] if member_role == role)
    return db.session.scalar(select(User.handle).where(User.id == user_id))


def _staff_assignments(world: _World) -> None:
    rows = []
    turn: dict[tuple[int, StaffRole], int] = {}
    for enrolment in world.enrolments:
        for role, share in STAFF_SHARE.items():
            # The main programme's first community has every role, so a mentor's pages show something.
            always = enrolment.tenant_id == world.programmes[0].community_ids[0]
            if not always and world.rng.random() >= share:
                continue
            people = world.staff[enrolment.organisation_id][role]
            key = (enrolment.organisation_id, role)
            user_id = people[turn.get(key, 0) % len(people)]
            turn[key] = turn.get(key, 0) + 1
            rows.append({"tenant_id": enrolment.tenant_id, "organisation_id": enrolment.organisation_id,
                         "enrolment_id": enrolment.id, "user_id": user_id, "role": role})
    _created(world, StaffAssignment, rows, returning=False)


# --- Parts that depend on other modules' models --------------------------------


def _models(module: str, *names: str) -> list[Any] | None:
    """The named classes of `module`, or None when the module or one of them does not exist yet."""
    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return None
    found = [getattr(loaded, name, None) for name in names]
    return None if any(item is None for item in found) else found


# (name, step): each step returns None when done, or why it could not run.
OPTIONAL_STEPS: list[tuple[str, Callable[[_World], str | None]]] = []


# --- The command line ------------------------------------------------------------


def scale_command(n_communities: int, seed: int | None = None) -> ScaleReport:
    """`flask --app hromada demo --scale N`: generate, then print what was made and whom to sign in as."""
    import click

    click.echo(f"Generating {n_communities:,} communities (seed {seed if seed is not None else DEFAULT_SEED})...")
    report = generate(n_communities, seed=DEFAULT_SEED if seed is None else seed)
    for line in report.lines():
        click.echo(line)
    if not report.already_present:
        click.echo(f"Sign-ins (password for each: {SCALE_PASSWORD}):")
        for role, handle in report.sign_ins.items():
            click.echo(f"  {handle:<24} {role}")
        click.echo("Objects: " + ", ".join(f"{name}={value}" for name, value in report.ids.items()))
    return report
