"""The `demo` command."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from hromada.hookspecs import hookimpl


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load the demo into an empty database.")
@click.option("--scale", type=click.IntRange(min=1), default=None, metavar="N",
              help="Instead, generate N fictional communities with everything around them (for load tests).")
@click.option("--seed", type=int, default=None, help="With --scale: the random seed (same seed, same data).")
@with_appcontext
def demo_command(if_empty: bool, scale: int | None, seed: int | None) -> None:
    """Load the fictional demo data (safe to run more than once)."""
    from hromada.demo import DEMO_PASSWORD, database_is_empty, seed_demo, sign_ins
    from hromada.modules.factors.published import DEMO_TOTP_SECRET, code_command_hint

    if scale is not None:
        from hromada.demo.scale import scale_command

        scale_command(scale, seed)
        return
    if if_empty and not database_is_empty():
        click.echo("The database already holds data; the demo was not loaded again.")
    else:
        created = seed_demo(current_app.extensions["hromada.stage_types"])
        click.echo(
            f"Demo ready: {created['organisation'].name}, programme "
            f"{created['programme'].title!r}, {len(created['communities'])} communities."
        )
    click.echo(f"Demo sign-ins (password for each: {DEMO_PASSWORD}):")
    for handle, role in sign_ins():
        click.echo(f"  {handle:<20} {role}")
    click.echo(f"Staff and the admin also need a code of the authenticator app with the published secret "
               f"{DEMO_TOTP_SECRET}: add it to an app, or get the current code with")
    click.echo(f"  {code_command_hint()}")


@hookimpl
def hromada_cli_commands():
    return [demo_command]
