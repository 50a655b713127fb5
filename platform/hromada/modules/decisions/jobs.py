"""Proposals close on time and members hear a day before, whether or not anyone opens a page.

`flask --app hromada decisions tick` (run it every few minutes, from cron or a
timer) enqueues one `decisions.tick` job per community with a proposal that is
due or closes within a day. The job acts for that community alone, and is
idempotent: an outcome is written once and each reminder is sent once.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.jobs import job
from hromada.modules.decisions import operations
from hromada.modules.decisions.models import Proposal


def proposal_link(proposal: Proposal) -> str:
    return current_app.url_map.bind("").build(
        "decisions.proposal", {"community_id": proposal.tenant_id, "proposal_id": proposal.id})


@job("decisions.tick", once=True)
def tick(tenant_id: int, as_of: str) -> dict:
    """Close this community's due proposals and remind its members of those closing within a day."""
    proposals = db.session.scalars(
        select(Proposal)
        .where(Proposal.tenant_id == tenant_id, Proposal.closed_at.is_(None),
               Proposal.closes_at <= now() + operations.REMIND_BEFORE)
        .order_by(Proposal.closes_at)
    ).all()
    closed = reminded = 0
    for proposal in proposals:
        link = proposal_link(proposal)
        if operations.close_if_due(proposal, link=link):
            closed += 1
        else:
            reminded += operations.remind_before_close(proposal, link=link)
    return {"closed": closed, "reminded": reminded}


def communities_to_tick() -> list[int]:
    """Communities with an open proposal that is due or closes within a day: maintenance across tenants."""
    with tenancy.system_scope():
        return list(db.session.scalars(
            select(Proposal.tenant_id)
            .where(Proposal.closed_at.is_(None), Proposal.closes_at <= now() + operations.REMIND_BEFORE)
            .distinct()
            .order_by(Proposal.tenant_id)
        ))


@click.group("decisions")
def decisions_group() -> None:
    """Decisions communities take together."""


@decisions_group.command("tick")
@with_appcontext
def tick_command() -> None:
    """Close proposals whose time has come and remind members of those closing within a day."""
    # The minute it runs for: the command run twice within a minute enqueues jobs that run once.
    as_of = now().replace(second=0, microsecond=0).isoformat()
    communities = communities_to_tick()
    db.session.commit()
    queue = current_app.extensions["hromada.jobs"]
    statuses: dict[str, int] = {}
    for community_id in communities:
        handle = queue.enqueue("decisions.tick", tenant_id=community_id, as_of=as_of)
        statuses[handle.status] = statuses.get(handle.status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())) or "none"
    click.echo(f"Decision jobs for {len(communities)} communities: {summary}.")
