"""The cohort's funnel: how many communities entered, completed and left each stage, from counts kept on write."""

from __future__ import annotations

from sqlalchemy import func, literal, select, union_all

from hromada.extensions import db
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.progress.standings.model import CohortStanding, StageFunnelCount


def kept_funnel(programme: Programme, stages: list[Stage]) -> list[dict]:
    """For each stage: how many communities entered it, completed it and left during it.

    A community entered a stage when it has a progress row for it, or is in it
    without one yet (admission creates only the enrolment).
    """
    counts = {stage.id: {"entered": 0, "completed": 0, "withdrawn": 0} for stage in stages}
    if stages:
        stage_ids = [stage.id for stage in stages]
        # Counts kept on write (standings.sql), and the communities in a stage without a row yet.
        with_row = select(StageFunnelCount.stage_id, StageFunnelCount.entered, StageFunnelCount.completed,
                          StageFunnelCount.withdrawn).where(StageFunnelCount.stage_id.in_(stage_ids))
        without_row = (
            select(CohortStanding.current_stage_id, func.count(), literal(0), literal(0))
            .where(CohortStanding.programme_id == programme.id, CohortStanding.has_stage_row.is_(False),
                   CohortStanding.current_stage_id.in_(stage_ids))
            .group_by(CohortStanding.current_stage_id)
        )
        for stage_id, entered, completed, withdrawn in db.session.execute(union_all(with_row, without_row)):
            if stage_id in counts:
                counts[stage_id]["entered"] += entered
                counts[stage_id]["completed"] += completed
                counts[stage_id]["withdrawn"] += withdrawn
    return [{"stage": stage, **counts[stage.id]} for stage in stages]
