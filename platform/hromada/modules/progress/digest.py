"""The operators' daily digest of stalled communities, and the command that sends it.

Schedule `flask --app hromada progress send-digest` once a day (cron); it
enqueues one `progress.stalled_digest` job per organisation. The job acts for
the organisation: it reads its programmes and their enrolments (rows the
organisation shares with the communities) and no other community data.
"""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.jobs import job
from hromada.modules.accounts.models import StaffMembership, StaffRole
from hromada.modules.communities.models import Enrolment
from hromada.modules.notifications.service import notify
from hromada.modules.organisations.models import Organisation
from hromada.modules.programmes.models import Programme
from hromada.modules.progress.services import is_stalled

STALLED_MESSAGE = _l("Stalled communities in %(programme)s: %(num)d. Days without activity: at least %(days)d.")


def cohort_path(organisation_id: int, programme_id: int, **query) -> str:
    """The cohort's path, built without a request (jobs have none)."""
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    return adapter.build("progress.cohort", {"organisation_id": organisation_id, "programme_id": programme_id,
                                             **query})


@job("progress.stalled_digest", once=True)
def stalled_digest(organisation_id: int, day: str) -> dict[int, int]:
    """Notify the organisation's operators of each programme's stalled communities, once per day.

    Returns {programme id: number of stalled communities}.
    """
    tenancy.set_organisation(organisation_id)
    programmes = db.session.scalars(
        select(Programme).where(Programme.organisation_id == organisation_id).order_by(Programme.id)
    ).all()
    operators = list(db.session.scalars(
        select(StaffMembership.user_id).where(StaffMembership.organisation_id == organisation_id,
                                              StaffMembership.role == StaffRole.OPERATOR)
    ))
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.organisation_id == organisation_id,
                                Enrolment.current_stage_id.is_not(None))
    ).all()
    at = now()
    counts: dict[int, int] = {}
    for programme in programmes:
        stalled = [e for e in enrolments if e.programme_id == programme.id and is_stalled(e, programme, at)]
        counts[programme.id] = len(stalled)
        if stalled and operators:
            notify(operators, key=f"stalled:{programme.id}:{day}", message=STALLED_MESSAGE,
                   params={"programme": programme.title, "num": len(stalled), "days": programme.stall_days},
                   link=cohort_path(organisation_id, programme.id, stalled="y"))
    return counts


@click.group("progress")
def progress_group() -> None:
    """Communities' progress through programmes."""


@progress_group.command("send-digest")
@click.option("--day", help="The day the digest is for (YYYY-MM-DD); today by default.")
@with_appcontext
def send_digest_command(day: str | None) -> None:
    """Enqueue the stalled-communities digest of every organisation (run it daily)."""
    try:
        day = (date.fromisoformat(day) if day else date.today()).isoformat()
    except ValueError:
        raise click.BadParameter("use the form YYYY-MM-DD", param_hint="--day") from None
    jobs = current_app.extensions["hromada.jobs"]
    organisation_ids = list(db.session.scalars(select(Organisation.id).order_by(Organisation.id)))
    db.session.commit()
    for organisation_id in organisation_ids:
        handle = jobs.enqueue("progress.stalled_digest", organisation_id=organisation_id, day=day)
        click.echo(f"Organisation {organisation_id}: digest for {day} {handle.status}.")


@progress_group.command("evaluate")
@with_appcontext
def evaluate_command() -> None:
    """Evaluate the requirements and columns of every cohort row that is out of date (after an upgrade, say)."""
    from hromada.modules.progress.standings.evaluation import evaluate_out_of_date

    click.echo(f"{evaluate_out_of_date():,} rows of the cohorts' read model evaluated.")
