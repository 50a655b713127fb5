"""`flask factors reseal`: after a master-key rotation, seal every TOTP secret under the current key.
`flask factors reset HANDLE`: the administrator resets a person's second factors (the platform admin's
own, or a person in several communities or organisations, whom no single operator or coordinator may)."""

from __future__ import annotations

import click
from flask import current_app, url_for
from flask.cli import with_appcontext
from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.confidential.keys import keyring
from hromada.modules.accounts.models import User
from hromada.modules.factors import operations, totp
from hromada.modules.factors.models import FactorKind, SecondFactor


@click.group("factors")
def factors_group() -> None:
    """Second factors."""


@factors_group.command("reseal")
@with_appcontext
def reseal_command() -> None:
    """Seal TOTP secrets still under a previous master key under the current one (run after `keys rotate`)."""
    current = keyring().current.id
    with tenancy.system_scope():
        factors = db.session.scalars(select(SecondFactor).where(SecondFactor.kind == FactorKind.TOTP,
                                                                SecondFactor.master_key_id != current)).all()
        for factor in factors:
            totp.seal_secret(factor, totp.open_secret(factor))
        db.session.commit()
    click.echo(f"{len(factors)} authenticator secrets sealed under the current master key.")


@factors_group.command("reset")
@click.argument("handle")
@with_appcontext
def reset_command(handle: str) -> None:
    """Remove every second factor and recovery code of the person HANDLE; they set up a new one next time."""
    with current_app.test_request_context():  # only to build the notification's link, as pages do
        link = url_for("factors.index")
    with tenancy.system_scope():
        person = db.session.scalar(select(User).where(User.handle == handle, User.deleted_at.is_(None)))
        if person is None:
            raise click.ClickException(f"No account has the handle {handle!r}.")
        removed = operations.reset_by_administrator(person, link=link)
        db.session.commit()
    click.echo(f"{removed} second factors of {handle} removed, with their recovery codes; their sessions ended.")
