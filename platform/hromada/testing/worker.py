"""Drain the test Redis queue with the real worker, `flask --app hromada worker --burst`.

The worker is a subprocess with its own environment, as in production; the
database is the test's (SQLite file or PostgreSQL as the application role), so
the test sees what the worker committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FLASK = Path(sys.executable).parent / "flask"


def run_worker(app, database_url: str, redis_url: str, tmp_path: Path) -> str:
    """Run the worker until the queue is empty (it first sends the deferred jobs); return its output."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        # The test run's own keys: its queue, its jobs and its rate limits (hromada.testing.fixtures).
        "HROMADA_REDIS_NAMESPACE": app.config["HROMADA_REDIS_NAMESPACE"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "HROMADA_PLUGINS": ",".join(app.config["HROMADA_PLUGINS"]),
        "HROMADA_INSTANCE_PATH": str(tmp_path / "worker-instance"),
    }
    worker = subprocess.run(
        [str(FLASK), "--app", "hromada", "worker", "--burst"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    return worker.stdout + worker.stderr
