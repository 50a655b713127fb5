"""Where a page spends its time: one page, in-process, against PostgreSQL with N generated communities.

    .venv/bin/python benchmarks/profile_page.py --role operator \\
        --path "/organisations/{organisation_id}/programmes/{programme_id}/cohort"
    .venv/bin/python benchmarks/profile_page.py --role coordinator \\
        --path "/communities/{community_id}/programmes/{programme_id}/progress"

The path's {placeholders} are the ids the generator reports (organisation_id, programme_id,
community_id, call_programme_id, course_id, course_session_id, event_id); --role is one of
its sign-ins (operator, mentor, expert, facilitator, coordinator, member) or "-" for nobody.
pyinstrument is installed from PyPI into a temporary folder for this run only (not into the
virtual environment). Like the benchmark, it creates a scratch database with the app's role,
migrates it as the owner, and drops it at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import BIN, ROOT, analyse, log  # noqa: E402  (the benchmark's own helpers)


def install_pyinstrument(folder: Path) -> None:
    log("installing pyinstrument into a temporary folder (for this run only)")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(folder), "pyinstrument"],
                   check=True, timeout=600)
    sys.path.insert(0, str(folder))


def count_round_trips(engine, client, path: str) -> None:
    """What one request sends to the server: the SQL statements SQLAlchemy runs, and the round trips
    (hromada.testing.round_trips), which include what goes straight through the driver."""
    from sqlalchemy import event

    from hromada.testing.round_trips import traced

    statements: list[str] = []

    def note(_connection, _cursor, statement, *_rest):
        statements.append(" ".join(statement.split())[:110])

    with traced(engine) as trace:
        for _ in range(8):  # opens the connection; psycopg prepares a statement at its fifth run
            client.get(path)
        trace.restart()
        event.listen(engine, "before_cursor_execute", note)
        try:
            client.get(path)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        round_trips = trace.round_trips()
    print(f"{path}: {len(statements)} SQL statements through SQLAlchemy, {len(round_trips)} round trips to the server")
    for statement in statements:
        print("  sql:", statement)
    for round_trip in round_trips:
        print("  round trip:", round_trip[:110])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", required=True, help="the page, with {placeholders} for the generated ids")
    parser.add_argument("--role", default="-", help="whom to sign in as (default: nobody)")
    parser.add_argument("--communities", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5, help="requests profiled (after one warm-up)")
    parser.add_argument("--show-all", action="store_true", help="show the libraries' frames too")
    arguments = parser.parse_args()
    # The migration and the app have their own SECRET_KEY: one context key for both (hromada.tenancy.signing).
    os.environ.setdefault("HROMADA_CONTEXT_KEY", secrets.token_urlsafe(32))

    from hromada.testing.services import ensure_application_role, scratch_postgres_database

    with tempfile.TemporaryDirectory(prefix="hromada-profile-") as folder, \
            scratch_postgres_database("hromada_profile") as owner_url:
        install_pyinstrument(Path(folder) / "site")
        from pyinstrument import Profiler

        os.environ["HROMADA_INSTANCE_PATH"] = str(Path(folder) / "instance")
        app_url = ensure_application_role(owner_url)
        subprocess.run([str(BIN / "flask"), "--app", "hromada", "db", "upgrade", "heads"], cwd=ROOT, check=True,
                       env={**os.environ, "DATABASE_URL": owner_url}, capture_output=True, timeout=300)
        from hromada import create_app
        from hromada.demo import scale
        from hromada.extensions import db
        from hromada.testing.factories import sign_in
        from hromada.testing.fixtures import OneAppContextPerRequest

        app = create_app({"SQLALCHEMY_DATABASE_URI": app_url, "SECRET_KEY": "profile"})
        app.test_client_class = OneAppContextPerRequest
        with app.app_context():
            log(f"generating {arguments.communities:,} communities")
            report = scale.generate(arguments.communities)
            db.session.remove()
        analyse(owner_url)
        client = app.test_client()
        if arguments.role != "-":
            with app.app_context():  # staff sign in with their second factor, which the helper resets in the app
                response = sign_in(client, report.sign_ins[arguments.role], scale.SCALE_PASSWORD)
            if response.status_code != 302:
                print(f"cannot sign in as {arguments.role}", file=sys.stderr)
                return 2
        path = arguments.path.format(**report.ids)
        status = client.get(path).status_code  # warm-up: caches, the session row
        if status != 200:
            print(f"{path} answered {status}", file=sys.stderr)
            return 2
        with app.app_context():
            count_round_trips(db.engine, client, path)
        profiler = Profiler(interval=0.001)
        started = time.perf_counter()
        profiler.start()
        for _ in range(arguments.repeat):
            client.get(path)
        profiler.stop()
        elapsed = (time.perf_counter() - started) / arguments.repeat
        print(profiler.output_text(unicode=False, color=False, show_all=arguments.show_all))
        print(f"{path} as {arguments.role}: {elapsed * 1000:.1f} ms per request (wall, profiled, {arguments.repeat} requests)")
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
