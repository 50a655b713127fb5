"""`flask factors reseal`: after a master-key rotation, seal every TOTP secret under the current key."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.confidential.keys import keyring
from hromada.modules.factors import totp
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
