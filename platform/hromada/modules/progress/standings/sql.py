"""The rule of where an enrolment stands, in SQL, for both databases and for the migration.

The same rule as `services.standings()`: in a stage, that stage with the status of
its progress row (admitted when there is none), counted as active once the
community did something after entering it; out of the stages, the stage it
withdrew from, else the last stage it completed. One statement writes it into
`cohort_standings` for the enrolments of some communities (or of all), and moves
each row's `version`, so that what was evaluated for it counts as out of date.

It is plain SQL text rather than a SQLAlchemy statement because PostgreSQL runs
it inside `hromada_refresh_standings`, a function the migration creates: the
tables are then named with their schema (the function's search path is pinned).
"""

from __future__ import annotations

_SELECT = """
SELECT x.id, x.tenant_id, x.organisation_id, x.programme_id, x.name, x.sort_name, x.current_stage_id,
       x.stage_id, x.status, x.last_activity_at, x.quiet_since, 1, 0, ps.position, x.has_stage_row FROM (
SELECT e.id AS id, e.tenant_id AS tenant_id, e.organisation_id AS organisation_id,
       e.programme_id AS programme_id, c.name AS name, lower(c.name) AS sort_name,
       e.current_stage_id AS current_stage_id, cp.id IS NOT NULL AS has_stage_row,
       CASE WHEN e.current_stage_id IS NOT NULL THEN e.current_stage_id
            ELSE coalesce(
              (SELECT sp.stage_id FROM {schema}stage_progress sp
                WHERE sp.enrolment_id = e.id AND sp.status = 'withdrawn' ORDER BY sp.id LIMIT 1),
              (SELECT sp.stage_id FROM {schema}stage_progress sp
                 LEFT JOIN {schema}programme_stages ps ON ps.id = sp.stage_id
                WHERE sp.enrolment_id = e.id AND sp.status = 'completed'
                ORDER BY coalesce(ps.position, -1) DESC, sp.id LIMIT 1))
       END AS stage_id,
       CASE WHEN e.current_stage_id IS NOT NULL THEN
              CASE WHEN coalesce(cp.status, 'admitted') = 'admitted' AND e.last_activity_at IS NOT NULL
                        AND e.last_activity_at >= CASE WHEN cp.id IS NULL THEN e.created_at ELSE cp.admitted_at END
                   THEN 'active' ELSE coalesce(cp.status, 'admitted') END
            WHEN EXISTS (SELECT 1 FROM {schema}stage_progress sp
                          WHERE sp.enrolment_id = e.id AND sp.status = 'withdrawn') THEN 'withdrawn'
            WHEN EXISTS (SELECT 1 FROM {schema}stage_progress sp
                          WHERE sp.enrolment_id = e.id AND sp.status = 'completed') THEN 'completed'
       END AS status,
       e.last_activity_at AS last_activity_at, coalesce(e.last_activity_at, e.created_at) AS quiet_since
  FROM {schema}enrolments e
  JOIN {schema}communities c ON c.id = e.tenant_id
  LEFT JOIN {schema}stage_progress cp ON cp.enrolment_id = e.id AND cp.stage_id = e.current_stage_id
 WHERE {where}
) x
  LEFT JOIN {schema}programme_stages ps ON ps.id = x.stage_id
 WHERE x.id IS NOT NULL
 ORDER BY x.id
"""

COLUMNS = ("enrolment_id", "tenant_id", "organisation_id", "programme_id", "name", "sort_name", "current_stage_id",
           "stage_id", "status", "last_activity_at", "quiet_since", "version", "evaluated_version", "stage_position",
           "has_stage_row")
# What a refresh rewrites; the version moves on, the evaluation stays until compared with it.
_KEPT = tuple(column for column in COLUMNS[1:] if column not in ("version", "evaluated_version"))


def upsert(schema: str, where: str) -> str:
    """INSERT … SELECT … ON CONFLICT: the rows of the enrolments `where` selects (aliases `e`, `c`)."""
    assignments = ", ".join(f"{column} = excluded.{column}" for column in _KEPT)
    return (
        f"INSERT INTO {schema}cohort_standings ({', '.join(COLUMNS)})"
        + _SELECT.format(schema=schema, where=where)
        + f" ON CONFLICT (enrolment_id) DO UPDATE SET {assignments},"
        f" version = {schema}cohort_standings.version + 1"
    )


# PostgreSQL: the owner's function, so that whoever writes a community's rows (its members, its programme's
# staff, a job) brings its rows up to date although it may not read all it needs (another organisation's
# enrolments of the same community, the community's name). It only rewrites what the rule derives from the
# tables and returns nothing, so calling it with any ids reveals nothing and falsifies nothing.
REFRESH_FUNCTION = (
    "CREATE OR REPLACE FUNCTION public.hromada_refresh_standings(tenants bigint[]) RETURNS void"
    " LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
    + upsert("public.", "(tenants IS NULL OR e.tenant_id = ANY(tenants))")
    + " $$"
)

# Everything a programme's stages ask may have changed (a stage's settings, its courses, its order): each
# row's evaluation is out of date, and its stage's position is read again. Taken in the order of the primary
# key, as the refresh takes them, so two never deadlock.
_OUTDATE = (
    "UPDATE {schema}cohort_standings SET version = version + 1,"
    " stage_position = (SELECT position FROM {schema}programme_stages WHERE id = cohort_standings.stage_id)"
    " WHERE enrolment_id IN (SELECT enrolment_id FROM {schema}cohort_standings WHERE {where}"
    " ORDER BY enrolment_id{lock})"
)
STALE_FUNCTION = (
    "CREATE OR REPLACE FUNCTION public.hromada_outdate_standings(programmes bigint[]) RETURNS void"
    " LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ "
    + _OUTDATE.format(schema="public.", where="programme_id = ANY(programmes)", lock=" FOR UPDATE")
    + " $$"
)

SQLITE_REFRESH = upsert("", "(:tenants IS NULL OR e.tenant_id IN (SELECT value FROM json_each(:tenants)))")
SQLITE_OUTDATE = _OUTDATE.format(schema="", where="programme_id IN (SELECT value FROM json_each(:programmes))",
                                 lock="")
BACKFILL = {"postgresql": upsert("public.", "true"), "sqlite": upsert("", "1")}


# The funnel's counts, kept by triggers on `stage_progress`: a row adds one to its stage's `entered`, and one to
# `completed` or `withdrawn` while it has that status. On PostgreSQL the function is the owner's (whoever
# writes a progress row keeps the count, which no one else may write); an update that changes neither the
# stage nor what the row counts as (admitted -> active) writes nothing, so communities starting their work
# do not queue on their stage's count.
_COUNT = "CASE WHEN {row}.status = '{status}' THEN {sign}1 ELSE 0 END"


def _change(row: str, sign: str) -> str:
    return (f"INSERT INTO {{schema}}stage_funnel_counts (stage_id, entered, completed, withdrawn)"
            f" VALUES ({row}.stage_id, {sign}1, {_COUNT.format(row=row, status='completed', sign=sign)},"
            f" {_COUNT.format(row=row, status='withdrawn', sign=sign)})"
            f" ON CONFLICT (stage_id) DO UPDATE SET entered = stage_funnel_counts.entered + excluded.entered,"
            f" completed = stage_funnel_counts.completed + excluded.completed,"
            f" withdrawn = stage_funnel_counts.withdrawn + excluded.withdrawn;")


_COUNTS_CHANGE = ("OLD.stage_id <> NEW.stage_id OR (OLD.status = 'completed') <> (NEW.status = 'completed')"
                  " OR (OLD.status = 'withdrawn') <> (NEW.status = 'withdrawn')")

FUNNEL_FUNCTION = (
    "CREATE OR REPLACE FUNCTION public.hromada_count_stage_progress() RETURNS trigger"
    " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ BEGIN"
    " IF TG_OP IN ('UPDATE', 'DELETE') AND (TG_OP = 'DELETE' OR " + _COUNTS_CHANGE + ") THEN "
    + _change("OLD", "-").format(schema="public.") +
    " END IF;"
    " IF TG_OP IN ('UPDATE', 'INSERT') AND (TG_OP = 'INSERT' OR " + _COUNTS_CHANGE + ") THEN "
    + _change("NEW", "").format(schema="public.") +
    " END IF;"
    " RETURN NULL; END $$"
)
FUNNEL_TRIGGERS = {
    "postgresql": [
        FUNNEL_FUNCTION,
        "CREATE TRIGGER count_stage_progress AFTER INSERT OR UPDATE OR DELETE ON stage_progress"
        " FOR EACH ROW EXECUTE FUNCTION public.hromada_count_stage_progress()",
    ],
    "sqlite": [
        "CREATE TRIGGER count_stage_progress_insert AFTER INSERT ON stage_progress BEGIN "
        + _change("NEW", "").format(schema="") + " END",
        "CREATE TRIGGER count_stage_progress_delete AFTER DELETE ON stage_progress BEGIN "
        + _change("OLD", "-").format(schema="") + " END",
        "CREATE TRIGGER count_stage_progress_update AFTER UPDATE ON stage_progress WHEN " + _COUNTS_CHANGE
        + " BEGIN " + _change("OLD", "-").format(schema="") + " " + _change("NEW", "").format(schema="") + " END",
    ],
}
FUNNEL_BACKFILL = (
    "INSERT INTO stage_funnel_counts (stage_id, entered, completed, withdrawn)"
    " SELECT stage_id, count(*), count(CASE WHEN status = 'completed' THEN 1 END),"
    " count(CASE WHEN status = 'withdrawn' THEN 1 END) FROM stage_progress GROUP BY stage_id"
)


# How many communities each programme has (rows of `cohort_standings`), kept by triggers on the read model: the
# cohort's total without counting the programme's rows on every view. A refresh that rewrites a row is an
# update, which counts nothing; a row's programme never changes. No foreign key: a programme's deletion removes
# its rows, which bring its count to zero (a row of 0 that stays is harmless).
_TALLY = ("INSERT INTO {{schema}}programme_cohort_counts (programme_id, communities) VALUES ({row}.programme_id, {sign}1)"
          " ON CONFLICT (programme_id) DO UPDATE"
          " SET communities = programme_cohort_counts.communities + excluded.communities;")
COHORT_COUNT_TRIGGERS = {
    "postgresql": [
        "CREATE OR REPLACE FUNCTION public.hromada_count_cohort_standings() RETURNS trigger"
        " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ BEGIN"
        " IF TG_OP = 'INSERT' THEN " + _TALLY.format(row="NEW", sign="").format(schema="public.") +
        " ELSE " + _TALLY.format(row="OLD", sign="-").format(schema="public.") + " END IF;"
        " RETURN NULL; END $$",
        "CREATE TRIGGER count_cohort_standings AFTER INSERT OR DELETE ON cohort_standings"
        " FOR EACH ROW EXECUTE FUNCTION public.hromada_count_cohort_standings()",
    ],
    "sqlite": [
        "CREATE TRIGGER count_cohort_standings_insert AFTER INSERT ON cohort_standings BEGIN "
        + _TALLY.format(row="NEW", sign="").format(schema="") + " END",
        "CREATE TRIGGER count_cohort_standings_delete AFTER DELETE ON cohort_standings BEGIN "
        + _TALLY.format(row="OLD", sign="-").format(schema="") + " END",
    ],
}
COHORT_COUNT_BACKFILL = ("INSERT INTO programme_cohort_counts (programme_id, communities)"
                         " SELECT programme_id, count(*) FROM cohort_standings GROUP BY programme_id")
