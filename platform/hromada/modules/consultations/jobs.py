"""Reminders of follow-ups agreed in consultations.

One job per follow-up (`once`: delivered twice, it reminds once). It is enqueued
after the consultation's log is committed; if Redis is down the job system keeps
it in the database and sends it when Redis is back, and the page says so.

The notification says when the task is due and links to the community's
follow-ups; it does not copy the task's text, which stays in the community's
tenant (a notification is a platform row, outside the community's walls).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from hromada.extensions import db
from hromada.jobs import job
from hromada.modules.consultations.models import FollowUp
from hromada.modules.notifications.service import notify

REMINDER_JOB = "consultations.followup_reminders"
REMINDER = _l("Reminder: a task agreed in a consultation is due on %(due)s.")
DELAYED = _l("Reminders are delayed; they will be sent when the service is back.")


@job(REMINDER_JOB, once=True)
def followup_reminders(tenant_id: int, follow_up_id: int) -> int:
    """Remind the follow-up's owner; the runner has set the community's tenant from `tenant_id`."""
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None or follow_up.done_at is not None:
        return 0  # erased or done since the job was enqueued: nothing to remind
    return notify(
        [follow_up.owner_id],
        key=f"consultations.follow-up:{follow_up.id}",
        message=REMINDER,
        params={"due": follow_up.due_on.isoformat()},
        link=f"/communities/{tenant_id}/follow-ups",
    )


def enqueue_reminders(tenant_id: int, follow_up_ids: list[int]) -> bool:
    """Enqueue a reminder per follow-up (after commit); True when any had to be deferred."""
    jobs = current_app.extensions["hromada.jobs"]
    deferred = False
    for follow_up_id in follow_up_ids:
        handle = jobs.enqueue(REMINDER_JOB, tenant_id=tenant_id, follow_up_id=follow_up_id)
        deferred = deferred or handle.status == "deferred"
    return deferred
