"""For tests: whether the read model agrees with the full computation, over every enrolment there is.

The test fixtures call `disagreements()` after every test that built an app, so every
kind of write the tests make is checked against it, on both databases.
"""

from __future__ import annotations

from sqlalchemy import inspect as inspect_database
from sqlalchemy import select

from hromada import memo, tenancy
from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.progress.services import funnel, plugin_columns, requirements_for, standings
from hromada.modules.progress.standings.evaluation import is_current, kept, to_json
from hromada.modules.progress.standings.funnel import kept_funnel
from hromada.modules.progress.standings.model import CohortStanding, ProgrammeCohortCount


def _moment(value):
    return as_utc(value).replace(microsecond=0) if value is not None else None


def disagreements(limit: int = 10) -> list[str]:
    """What the read model says that the tables do not (empty when they agree)."""
    if not inspect_database(db.session.connection()).has_table("cohort_standings"):
        return []

    found: list[str] = []
    with tenancy.system_scope():
        kept_rows = {row.enrolment_id: row for row in db.session.scalars(select(CohortStanding))}
        enrolments = list(db.session.scalars(select(Enrolment)))
        names = dict(db.session.execute(select(Community.id, Community.name)).all())
        stages: dict[int, list[Stage]] = {}
        for stage in db.session.scalars(select(Stage).order_by(Stage.position)):
            stages.setdefault(stage.programme_id, []).append(stage)
        missing = {enrolment.id for enrolment in enrolments} ^ set(kept_rows)
        if missing:
            found.append(f"enrolments without a row, or rows without an enrolment: {sorted(missing)[:limit]}")
        counted = {programme_id: communities for programme_id, communities in db.session.execute(
            select(ProgrammeCohortCount.programme_id, ProgrammeCohortCount.communities)) if communities}
        rows_by_programme: dict[int, int] = {}
        for row in kept_rows.values():
            rows_by_programme[row.programme_id] = rows_by_programme.get(row.programme_id, 0) + 1
        if counted != rows_by_programme:
            found.append(f"communities per programme: kept {counted}, counted {rows_by_programme}")
        by_programme: dict[int, list[Enrolment]] = {}
        for enrolment in enrolments:
            by_programme.setdefault(enrolment.programme_id, []).append(enrolment)
        at = now()
        for programme_id, members in by_programme.items():
            programme_stages = stages.get(programme_id, [])
            live = standings(members, programme_stages)
            programme = db.session.get(Programme, programme_id)
            counted = [(f["stage"].id, f["entered"], f["completed"], f["withdrawn"])
                       for f in kept_funnel(programme, programme_stages)]
            live_funnel = [(f["stage"].id, f["entered"], f["completed"], f["withdrawn"])
                           for f in funnel(programme_stages, live)]
            if counted != live_funnel:
                found.append(f"programme {programme_id}: funnel kept {counted}, computed {live_funnel}")
            current = [enrolment for enrolment in members
                       if enrolment.id in kept_rows and is_current(kept_rows[enrolment.id], at)]
            evaluated = _evaluated(programme, programme_stages, current,
                                   plugin_columns) if current else {}
            for enrolment in members:
                row = kept_rows.get(enrolment.id)
                if row is None:
                    continue
                standing = live[enrolment.id]
                expected = (names.get(enrolment.tenant_id), enrolment.current_stage_id,
                            enrolment.current_stage_id in standing.rows,
                            standing.stage.id if standing.stage else None,
                            standing.stage.position if standing.stage else None,
                            standing.status.value if standing.status else None,
                            _moment(enrolment.last_activity_at),
                            _moment(enrolment.last_activity_at or enrolment.created_at))
                actual = (row.name, row.current_stage_id, row.has_stage_row, row.stage_id, row.stage_position,
                          row.status, _moment(row.last_activity_at), _moment(row.quiet_since))
                if expected != actual:
                    found.append(f"enrolment {enrolment.id}: kept {actual}, computed {expected}")
                if enrolment.id in evaluated:
                    shown = kept(row)
                    expected_values = evaluated[enrolment.id]
                    actual_values = (shown.met, shown.total, {k: to_json(v) for k, v in shown.values.items()},
                                     [(requirement.key, outcome.met) for requirement, outcome in shown.outcomes])
                    if expected_values != actual_values:
                        found.append(f"enrolment {enrolment.id}: kept evaluation {actual_values}, "
                                     f"computed {expected_values}")
                if len(found) >= limit:
                    return found
    return found


def _evaluated(programme, programme_stages, enrolments, plugin_columns) -> dict[int, tuple]:
    with memo.scope():
        columns = plugin_columns(programme, enrolments)
        result = {}
        for enrolment in enrolments:
            values = {column.key: to_json(column.values.get(enrolment.id)) for column in columns}
            met = total = None
            pairs = []
            stage = next((s for s in programme_stages if s.id == enrolment.current_stage_id), None)
            if stage is not None:
                pairs = requirements_for(stage, [enrolment])[enrolment.id]
                met, total = sum(1 for _, outcome in pairs if outcome.met), len(pairs)
            elif enrolment.current_stage_id is not None:
                met = total = 0
            result[enrolment.id] = (met, total, values,
                                    [(requirement.key, bool(outcome.met)) for requirement, outcome in pairs])
    return result
