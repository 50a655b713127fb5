"""Reminders of the follow-ups agreed in consultations: a job per community, and the command that enqueues them.

`flask --app hromada consultations send-reminders` is meant to run from cron
(every 30 minutes, see the README). It finds the open follow-ups due within the
next 2 days and those that became overdue in the past week, and enqueues, for
each community that has some, one `consultations.follow_up_reminders` job with
that community's `tenant_id`. Each owner gets at most one "due soon" and one
"overdue" notification per follow-up (keys "consultations.follow-up:<id>:due-soon"
and ":overdue"), however often the command or the job runs.

Logging a consultation enqueues nothing, so it can neither fail nor be delayed
because Redis is down. When the command cannot reach Redis, its jobs wait in the
database (the job outbox) and are sent when Redis is back.

Days are counted in UTC, the calendar the pages use for their overdue flag (the
platform keeps no time zone per community), so a reminder and the page agree.
A follow-up is due by the end of its day: "due soon" from two days before it,
"overdue" from the next UTC day, which for communities east of UTC (Ukraine,
Belarus: UTC+2/+3) is a few hours after their own midnight, never before their
due day has ended.

The notification says when the task is due and links to the community's
follow-ups; it does not copy the task's text, which stays in the community's
tenant (a notification is a platform row, outside the community's walls).
"""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from hromada import tenancy
from hromada.clock import today
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.jobs import job
from hromada.modules.accounts.models import CommunityMembership, StaffMembership
from hromada.modules.consultations.models import FollowUp
from hromada.modules.notifications.service import notify
from hromada.times import day_param

REMINDER_JOB = "consultations.follow_up_reminders"
DUE_SOON = "due-soon"
OVERDUE = "overdue"
MESSAGES = {
    DUE_SOON: _l("Reminder: a task agreed in a consultation is due on %(due)s."),
    OVERDUE: _l("A task agreed in a consultation was due on %(due)s and is not marked as done."),
}
# "Due soon": due today, tomorrow or the day after.
DUE_SOON_AHEAD = timedelta(days=2)
# The command looks back a week for newly overdue follow-ups: enough to catch up after days without
# cron (with Redis down the jobs are kept anyway), without announcing, on the first run, tasks that
# have been overdue for months (the pages flag those).
OVERDUE_LOOKBACK = timedelta(days=7)


def utc_today() -> date:
    return today()


def reminder_kind(due_on: date, today: date) -> str | None:
    """Which reminder an open follow-up due on `due_on` calls for today, if any."""
    if due_on < today:
        return OVERDUE
    if due_on <= today + DUE_SOON_AHEAD:
        return DUE_SOON
    return None


def _owners_still_here(tenant_id: int, follow_ups: list[FollowUp]) -> set[int]:
    """Owners who are still members of the community or on the staff of the follow-up's organisation:
    someone who has left is not reminded through it."""
    owner_ids = {follow_up.owner_id for follow_up in follow_ups}
    members = set(db.session.scalars(
        select(CommunityMembership.user_id)
        .where(CommunityMembership.tenant_id == tenant_id, CommunityMembership.user_id.in_(owner_ids))
    ))
    staff = set(db.session.execute(
        select(StaffMembership.organisation_id, StaffMembership.user_id)
        .where(StaffMembership.user_id.in_(owner_ids))
    ).all())
    return {
        follow_up.id for follow_up in follow_ups
        if follow_up.owner_id in members or (follow_up.organisation_id, follow_up.owner_id) in staff
    }


@job(REMINDER_JOB, once=True)
def follow_up_reminders(tenant_id: int, due_soon: list[int], overdue: list[int]) -> int:
    """Remind the owners of this community's open follow-ups; return how many notifications were added.

    The two lists are what the command saw; they are in the arguments so that a follow-up turning
    overdue makes a new job (a `once` job with the same arguments would not run again). The kind of
    reminder is decided here, on the day the job runs: a job delivered late, after the due date,
    says "overdue", not "due soon". The runner has set the community's tenant from `tenant_id`.
    """
    today = utc_today()
    follow_ups = db.session.scalars(
        select(FollowUp)
        .where(FollowUp.tenant_id == tenant_id, FollowUp.id.in_([*due_soon, *overdue]), FollowUp.done_at.is_(None))
        .order_by(FollowUp.id)
    ).all()  # erased or done since the command ran: nothing to remind
    if not follow_ups:
        return 0
    reachable = _owners_still_here(tenant_id, follow_ups)
    link = current_app.url_map.bind("").build("consultations.follow_ups", {"community_id": tenant_id})
    sent = 0
    for follow_up in follow_ups:
        kind = reminder_kind(follow_up.due_on, today)
        if kind is None or follow_up.id not in reachable:
            continue
        sent += notify([follow_up.owner_id], key=f"consultations.follow-up:{follow_up.id}:{kind}",
                       message=MESSAGES[kind], params={"due": day_param(follow_up.due_on)}, link=link)
    return sent


@job("consultations.followup_reminders", once=True)
def retired_log_time_reminder(tenant_id: int, follow_up_id: int) -> int:
    """The job that logging enqueued before reminders came from the command; it does nothing now.

    Kept so that such jobs still waiting in Redis or in the job outbox after an upgrade run
    (and are not failed as unknown); the command reminds of their follow-ups at the right time.
    """
    return 0


def follow_ups_to_remind(today: date) -> dict[int, dict[str, list[int]]]:
    """Community id -> {"due_soon": ids, "overdue": ids} of its open follow-ups in the window (all communities)."""
    with tenancy.system_scope():
        rows = db.session.execute(
            select(FollowUp.tenant_id, FollowUp.id, FollowUp.due_on)
            .where(FollowUp.done_at.is_(None),
                   FollowUp.due_on >= today - OVERDUE_LOOKBACK, FollowUp.due_on <= today + DUE_SOON_AHEAD)
            .order_by(FollowUp.tenant_id, FollowUp.id)
        ).all()
    db.session.rollback()  # end the read; each job works in its own transaction
    found: dict[int, dict[str, list[int]]] = {}
    for tenant_id, follow_up_id, due_on in rows:
        lists = found.setdefault(tenant_id, {"due_soon": [], "overdue": []})
        lists["overdue" if reminder_kind(due_on, today) == OVERDUE else "due_soon"].append(follow_up_id)
    return found


@click.group("consultations")
def consultations_group() -> None:
    """Consultations: follow-up reminders."""


@consultations_group.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Remind owners of follow-ups due within 2 days or newly overdue (one job per community)."""
    targets = follow_ups_to_remind(utc_today())
    queue = current_app.extensions["hromada.jobs"]
    statuses: dict[str, int] = {}
    for tenant_id, lists in targets.items():
        handle = queue.enqueue(REMINDER_JOB, tenant_id=tenant_id, **lists)
        statuses[handle.status] = statuses.get(handle.status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())) or "none"
    click.echo(f"Follow-up reminder jobs for {len(targets)} communities: {summary}.")
