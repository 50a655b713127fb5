"""Drain the test Redis queue with the real worker, `flask --app hromada worker --burst`, or start one to kill.

The worker is a subprocess with its own environment, as in production; the
database is the test's (SQLite file or PostgreSQL as the application role), so
the test sees what the worker committed.

`python -m hromada.testing.worker ARGS` is `flask ARGS` with the plugins named in
HROMADA_TEST_EXTRA_PLUGINS ("name=module:attribute,…") installed as if a distribution declared
them: a test's own plugin (a job made to be killed) reaches the worker's app that way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FLASK = Path(sys.executable).parent / "flask"
EXTRA_PLUGINS = "HROMADA_TEST_EXTRA_PLUGINS"


def worker_environment(app, database_url: str, redis_url: str, tmp_path: Path, plugins: dict | None = None) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        # The test run's own keys: its queue, its jobs and its rate limits (hromada.testing.fixtures).
        "HROMADA_REDIS_NAMESPACE": app.config["HROMADA_REDIS_NAMESPACE"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "HROMADA_PLUGINS": ",".join(app.config["HROMADA_PLUGINS"]),
        "HROMADA_INSTANCE_PATH": str(tmp_path / "worker-instance"),
        "HROMADA_JOB_LEASE_SECONDS": str(app.config["HROMADA_JOB_LEASE_SECONDS"]),
    }
    if plugins:
        env[EXTRA_PLUGINS] = ",".join(f"{name}={value}" for name, value in plugins.items())
    return env


def run_worker(app, database_url: str, redis_url: str, tmp_path: Path) -> str:
    """Run the worker until the queue is empty (it first sweeps the outbox); return its output."""
    worker = subprocess.run(
        [str(FLASK), "--app", "hromada", "worker", "--burst"],
        env=worker_environment(app, database_url, redis_url, tmp_path),
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    return worker.stdout + worker.stderr


def start_worker(app, database_url: str, redis_url: str, tmp_path: Path, *, plugins: dict,
                 pythonpath: Path) -> subprocess.Popen:
    """Start a long-running worker, in a session (and process group) of its own, as a service is."""
    env = worker_environment(app, database_url, redis_url, tmp_path, plugins)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, "-m", "hromada.testing.worker", "--app", "hromada", "worker"],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def _install_extra_plugins() -> None:
    from importlib.metadata import EntryPoint

    from hromada import plugins

    extra = [
        EntryPoint(name=name, value=value, group=plugins.ENTRY_POINT_GROUP)
        for name, value in (item.split("=", 1) for item in os.environ.get(EXTRA_PLUGINS, "").split(",") if item)
    ]
    installed = sorted([*plugins.installed_plugins(), *extra], key=lambda entry_point: entry_point.name)
    plugins.installed_plugins = lambda: installed


if __name__ == "__main__":
    from flask.cli import main

    _install_extra_plugins()
    main()
