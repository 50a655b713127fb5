"""Reminders of the reports funded communities owe: a job per community, and the command that enqueues them.

`flask --app hromada scholarships send-reminders` is meant to run from cron (every 30 minutes, as the
other reminders; see the README). It finds the approved applications whose progress or final report
is due within the next 3 days, or became overdue in the past week, and is not submitted (nor approved),
and enqueues, for each community that has some, one `scholarships.report_reminders` job with that
community's `tenant_id`. Each coordinator gets at most one "due soon" and one "overdue" notification per
report (keys "scholarships.report-due:<application>:<kind>:due-soon" and ":overdue"), however often the
command or the job runs. Days are counted in UTC, as the other reminders do.

The notification names the call and the day (organisation data), never the community's answers.
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
from hromada.modules.notifications.service import notify
from hromada.modules.scholarships.models import (
    ReportKind,
    ReportStatus,
    ScholarshipApplication,
    ScholarshipCall,
    ScholarshipReport,
    ScholarshipStatus,
)
from hromada.modules.scholarships.reports import coordinators_of, due_on

REMINDER_JOB = "scholarships.report_reminders"
DUE_SOON = "due-soon"
OVERDUE = "overdue"
MESSAGES = {
    (ReportKind.PROGRESS, DUE_SOON): _l("Reminder: your progress report for the scholarship call “%(call)s” is due "
                                        "on %(due)s."),
    (ReportKind.FINAL, DUE_SOON): _l("Reminder: your final report for the scholarship call “%(call)s” is due on "
                                     "%(due)s."),
    (ReportKind.PROGRESS, OVERDUE): _l("Your progress report for the scholarship call “%(call)s” was due on "
                                       "%(due)s and is not submitted."),
    (ReportKind.FINAL, OVERDUE): _l("Your final report for the scholarship call “%(call)s” was due on %(due)s and "
                                    "is not submitted."),
}
# "Due soon": due within the next three days.
DUE_SOON_AHEAD = timedelta(days=3)
# Newly overdue reports are looked for a week back (as the follow-up reminders do): enough to catch up after
# days without cron, without announcing on the first run reports overdue for months.
OVERDUE_LOOKBACK = timedelta(days=7)
# A report that waits for the organisers, or is approved, needs no reminder; a draft or a returned one does.
DONE = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def reminder_kind(due: date, on: date) -> str | None:
    if due < on:
        return OVERDUE
    if due <= on + DUE_SOON_AHEAD:
        return DUE_SOON
    return None


def _owed(on: date, tenant_id: int | None = None) -> list[tuple[int, int, ReportKind, date, ScholarshipCall]]:
    """(community, application, kind, due day, call) of the reports due in the window and not submitted."""
    rows = db.session.execute(
        select(ScholarshipApplication.tenant_id, ScholarshipApplication.id, ScholarshipCall)
        .join(ScholarshipCall, ScholarshipCall.id == ScholarshipApplication.call_id)
        .where(ScholarshipApplication.status == ScholarshipStatus.APPROVED,
               *([ScholarshipApplication.tenant_id == tenant_id] if tenant_id is not None else []))
        .order_by(ScholarshipApplication.tenant_id, ScholarshipApplication.id)).all()
    if not rows:
        return []
    done = set(db.session.execute(
        select(ScholarshipReport.application_id, ScholarshipReport.kind)
        .where(ScholarshipReport.application_id.in_([row[1] for row in rows]),
               ScholarshipReport.status.in_(DONE))).all())
    # The schedule closes with the final report approved: a late progress report is then not asked for.
    closed = {application_id for application_id, kind in done if kind == ReportKind.FINAL}
    owed = []
    for community_id, application_id, call in rows:
        for kind in ReportKind:
            due = due_on(call, kind)
            if due is None or (application_id, kind) in done or application_id in closed:
                continue
            if on - OVERDUE_LOOKBACK <= due <= on + DUE_SOON_AHEAD:
                owed.append((community_id, application_id, kind, due, call))
    return owed


@job(REMINDER_JOB, once=True)
def report_reminders(tenant_id: int, reports: list[list]) -> int:
    """Remind this community's coordinators of the reports it owes; how many notifications were added.

    `reports` is what the command saw ([application id, kind, reminder], ...), so that a report turning
    overdue makes a new job (a `once` job with the same arguments does not run again). What is owed is read
    again here, on the day the job runs: a report submitted meanwhile is not reminded of. The runner has set
    the community's tenant from `tenant_id`.
    """
    wanted = {(application_id, kind) for application_id, kind, _reminder in reports}
    on = today()
    owed = [item for item in _owed(on, tenant_id) if (item[1], item[2].value) in wanted]
    if not owed:
        return 0
    coordinators = coordinators_of(tenant_id)
    sent = 0
    for _community, application_id, kind, due, call in owed:
        reminder = reminder_kind(due, on)
        if reminder is None:
            continue
        link = current_app.url_map.bind("").build(
            "scholarship_reports.write", {"community_id": tenant_id, "call_id": call.id, "report_kind": kind.value})
        sent += notify(coordinators, key=f"scholarships.report-due:{application_id}:{kind.value}:{reminder}",
                       message=MESSAGES[kind, reminder], params={"call": call.title, "due": due.isoformat()},
                       link=link)
    return sent


def reports_to_remind(on: date) -> dict[int, list[list]]:
    """Community id -> [[application id, kind, reminder], ...] of the reports it owes in the window."""
    with tenancy.system_scope():
        owed = _owed(on)
    db.session.rollback()  # end the read; each job works in its own transaction
    found: dict[int, list[list]] = {}
    for community_id, application_id, kind, due, _call in owed:
        found.setdefault(community_id, []).append([application_id, kind.value, reminder_kind(due, on)])
    return found


@click.group("scholarships")
def scholarships_group() -> None:
    """Scholarships: report reminders."""


@scholarships_group.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Remind coordinators of reports due within 3 days or newly overdue (one job per community)."""
    targets = reports_to_remind(today())
    queue = current_app.extensions["hromada.jobs"]
    statuses: dict[str, int] = {}
    for tenant_id, owed in targets.items():
        handle = queue.enqueue(REMINDER_JOB, tenant_id=tenant_id, reports=owed)
        statuses[handle.status] = statuses.get(handle.status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())) or "none"
    click.echo(f"Report reminder jobs for {len(targets)} communities: {summary}.")
