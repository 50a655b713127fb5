"""`flask --app hromada erasure tick`: erase the communities whose grace has ended, one job each.

Run it every few minutes from cron or a timer, as the other ticks. The job is declared
`once` and the erase itself finds nothing to do a second time, so however often the tick
or a worker repeats it, a community is erased once.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from hromada import tenancy
from hromada.extensions import db
from hromada.jobs import job
from hromada.modules.erasure.erase import due_requests, erase_community


@job("erasure.run", once=True)
def run(tenant_id: int) -> dict | None:
    """Erase community `tenant_id` if its request is confirmed and its grace has ended."""
    return erase_community(tenant_id)


def communities_to_erase() -> list[int]:
    with tenancy.system_scope():
        return [request.tenant_id for request in due_requests()]


@click.group("erasure")
def erasure_group() -> None:
    """Communities that asked to be erased."""


@erasure_group.command("tick")
@with_appcontext
def tick_command() -> None:
    """Erase the communities whose erase was confirmed and whose seven days of grace have ended."""
    communities = communities_to_erase()
    db.session.commit()
    queue = current_app.extensions["hromada.jobs"]
    for community_id in communities:
        queue.enqueue("erasure.run", tenant_id=community_id)
    click.echo(f"Erase jobs for {len(communities)} communities.")
