"""The `hromada` command: the same commands as `flask --app hromada`, under the product's name.

    hromada db upgrade heads
    hromada demo
    hromada worker
"""

from __future__ import annotations

from flask.cli import FlaskGroup


def _create_app():
    from hromada import create_app

    return create_app()


cli = FlaskGroup(
    name="hromada",
    create_app=_create_app,
    help="Hromada's commands: migrations, demo data, workers, keys, reminders. "
    "Configuration comes from the environment (README, Configuration).",
)

# The app is always Hromada's: `--app` would only invite a mistake.
cli.params = [param for param in cli.params if param.name != "app"]


def main() -> None:
    cli.main(prog_name="hromada")
