"""The last time a community did something in its programmes.

Call `record_activity()` wherever a community acts (a member attends a session,
completes a lesson, a consultation takes place): the cohort overview shows it
and the daily digest flags communities that have stalled.

It then calls the `hromada_community_acted` hook, through which the progress
module marks the community started in its current stage. A hook rather than an
import: progress builds on communities (its rows hang from enrolments), so
communities calling into progress would make each depend on the other.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import update

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.communities.models import Enrolment


def record_activity(tenant_id: int | None = None, when: datetime | None = None) -> None:
    """Mark the community's enrolments active now (in the caller's transaction)."""
    tenant_id = tenant_id if tenant_id is not None else tenancy.current().tenant_id
    if tenant_id is None:
        return
    when = when or now()
    db.session.execute(
        update(Enrolment)
        .where(Enrolment.tenant_id == tenant_id)
        .values(last_activity_at=when)
        # Whose rows these are, for the writes that follow them (the cohort's read model, progress.standings).
        .execution_options(synchronize_session=False, hromada_tenants=(tenant_id,))
    )
    current_app.extensions["hromada.plugins"].hook.hromada_community_acted(tenant_id=tenant_id, when=when)
