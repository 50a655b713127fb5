"""`flask --app hromada keys ...`: generate a master key, see which keys wrap what, rotate, crypto-erase."""

from __future__ import annotations

import secrets

import click
from flask.cli import with_appcontext

from hromada.config import MASTER_KEY_BYTES, decode_master_key
from hromada.modules.confidential.keys import fingerprint
from hromada.modules.confidential.rotation import DEFAULT_BATCH_SIZE, KeyInventory

STATUS_NOTES = {
    "current": "current",
    "previous": "previous: remove it from HROMADA_PREVIOUS_MASTER_KEYS only once it wraps no key",
    "unknown": "NOT CONFIGURED on this server: these communities' notes cannot be read",
}


@click.group("keys")
def keys_group() -> None:
    """Master keys and the communities' data keys (confidential notes)."""


@keys_group.command("generate")
def generate_command() -> None:
    """Print a new random master key (base64url) for HROMADA_MASTER_KEY."""
    key = secrets.token_urlsafe(MASTER_KEY_BYTES)
    click.echo(key)
    click.echo(f"Its id: {fingerprint(decode_master_key(key))}. Keep it in your secret store, "
               "never in a database backup.", err=True)


def _echo_inventory(inventory: KeyInventory) -> None:
    key_ids = [inventory.current_id, *inventory.previous_ids]
    key_ids += sorted(key_id for key_id in inventory.live if key_id not in key_ids)
    for key_id in key_ids:
        count = inventory.live.get(key_id, 0)
        click.echo(f"  {key_id}  {count:>6} community keys  ({STATUS_NOTES[inventory.status_of(key_id)]})")
    click.echo(f"  destroyed {inventory.destroyed:>6} community keys")


@keys_group.command("status")
@with_appcontext
def status_command() -> None:
    """Count the communities' data keys per master key id."""
    from hromada.modules.confidential.rotation import key_inventory

    inventory = key_inventory()
    click.echo("Data keys per master key:")
    _echo_inventory(inventory)
    if inventory.under_old_keys:
        click.echo(f"{inventory.under_old_keys} keys are not under the current master key: "
                   "run `flask --app hromada keys rotate`.")


@keys_group.command("rotate")
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(min=1),
              help="Keys re-wrapped per transaction.")
@with_appcontext
def rotate_command(batch_size: int) -> None:
    """Re-wrap every community's data key under the current HROMADA_MASTER_KEY.

    Run it after making the new key current and listing the old one in
    HROMADA_PREVIOUS_MASTER_KEYS on every process; remove the old key once
    this reports that no key is left under it.
    """
    from hromada.modules.confidential.rotation import rotate_data_keys

    report = rotate_data_keys(batch_size=batch_size)
    inventory = report.inventory
    click.echo(f"Re-wrapped {report.rewrapped} community keys under master key {inventory.current_id} "
               f"in {report.batches} batches.")
    click.echo(f"{inventory.under_old_keys} keys are left under old master keys.")
    _echo_inventory(inventory)
    problems = []
    if inventory.under_unknown_keys:
        problems.append(f"{inventory.under_unknown_keys} keys are under master keys this server was not given: "
                        "add those keys to HROMADA_PREVIOUS_MASTER_KEYS and run the rotation again")
    if report.unreadable:
        problems.append(f"{report.unreadable} wrapped keys fail authentication (altered in the database) "
                        "and were left as they are")
    if problems:
        raise click.ClickException("; ".join(problems) + ".")


@keys_group.command("destroy")
@click.argument("community_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def destroy_command(community_id: int, yes: bool) -> None:
    """Crypto-erase: destroy a community's data key, so none of its confidential notes can be read again."""
    from hromada import tenancy
    from hromada.extensions import db
    from hromada.modules.communities.models import Community
    from hromada.modules.confidential.crypto import destroy_data_key

    with tenancy.system_scope():
        if db.session.get(Community, community_id) is None:
            raise click.ClickException(f"There is no community with id {community_id}.")
        if not yes:
            click.confirm(
                f"Destroy the key of community {community_id}? Its confidential notes can never be read again.",
                abort=True,
            )
        destroyed = destroy_data_key(community_id)
        db.session.commit()
    if destroyed:
        click.echo(f"Destroyed the data key of community {community_id}: its confidential notes can no longer "
                   "be read. Backups taken before keep the wrapped key until the master key in use then is retired "
                   "by a rotation.")
    else:
        click.echo(f"The data key of community {community_id} was already destroyed.")
