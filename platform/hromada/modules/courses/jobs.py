"""Reminders of course sessions: a job per community, and the command that enqueues them.

`flask --app hromada courses send-reminders` is meant to run from cron (say,
every hour): it finds the sessions that start in the next 24 hours and
enqueues, for each community with participants in them, one
`courses.session_reminders` job with that community's `tenant_id`. Each
participant is notified once per session, under the key
"course-session:<id>", however often the command or the job runs.
"""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import and_, select

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.jobs import job
from hromada.modules.accounts.models import CommunityMembership
from hromada.modules.courses.models import Course, CourseParticipant, CourseSession
from hromada.times import moment_param
from hromada.modules.notifications.service import notify

REMINDER = _l("Reminder: %(course)s, session on %(when)s.")
AHEAD = timedelta(hours=24)


def upcoming_window():
    moment = now()
    return moment, moment + AHEAD


@job("courses.session_reminders", once=True)
def session_reminders(tenant_id: int, session_ids: list[int]) -> int:
    """Notify the community's participants of its sessions starting within 24 hours; return how many."""
    start, end = upcoming_window()
    sessions = db.session.execute(
        select(CourseSession, Course).join(Course, Course.id == CourseSession.course_id)
        .where(CourseSession.id.in_(session_ids), CourseSession.starts_at > start, CourseSession.starts_at <= end)
        .order_by(CourseSession.starts_at)
    ).all()
    if not sessions:
        return 0
    # The runner has set this community as the tenant: only its participants, and only current members.
    people: dict[int, set[int]] = {}
    for course_id, user_id in db.session.execute(
        select(CourseParticipant.course_id, CourseParticipant.user_id)
        .join(CommunityMembership, and_(CommunityMembership.tenant_id == CourseParticipant.tenant_id,
                                        CommunityMembership.user_id == CourseParticipant.user_id))
        .where(CourseParticipant.tenant_id == tenant_id,
               CourseParticipant.course_id.in_({course.id for _, course in sessions}))
    ):
        people.setdefault(course_id, set()).add(user_id)
    sent = 0
    for session, course in sessions:
        sent += notify(
            people.get(course.id, ()), key=f"course-session:{session.id}", message=REMINDER,
            params={"course": course.title, "when": moment_param(session.starts_at, session.timezone)},
            link=f"/communities/{tenant_id}/courses/{course.id}",
        )
    return sent


def communities_with_upcoming_sessions() -> dict[int, list[int]]:
    """Community id -> ids of its participants' sessions starting in the next 24 hours (all communities)."""
    start, end = upcoming_window()
    found: dict[int, list[int]] = {}
    with tenancy.system_scope():
        rows = db.session.execute(
            select(CourseParticipant.tenant_id, CourseSession.id)
            .join(CourseSession, CourseSession.course_id == CourseParticipant.course_id)
            .where(CourseSession.starts_at > start, CourseSession.starts_at <= end)
            .distinct()
        ).all()
    db.session.rollback()  # end the read; each job works in its own transaction
    for tenant_id, session_id in rows:
        found.setdefault(tenant_id, []).append(session_id)
    return {tenant_id: sorted(ids) for tenant_id, ids in sorted(found.items())}


@click.group("courses")
def courses_group() -> None:
    """Courses: session reminders."""


@courses_group.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Enqueue reminders of the sessions starting in the next 24 hours, one job per community."""
    jobs = current_app.extensions["hromada.jobs"]
    targets = communities_with_upcoming_sessions()
    for tenant_id, session_ids in targets.items():
        jobs.enqueue("courses.session_reminders", tenant_id=tenant_id, session_ids=session_ids)
    click.echo(f"Enqueued session reminders for {len(targets)} communities.")
