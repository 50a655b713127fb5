"""What row-level security on `users` (migration core0012) costs a statement.

    .venv/bin/python benchmarks/users_policies.py            # 2,000 statements of each kind, 5 rounds

On a scratch PostgreSQL database (HROMADA_TEST_POSTGRES_URL), migrated as the owner, with 1,000 people,
as the app's own role, in a context signed for one person: finding a person by handle (sign-in), reading
200 people (a page that names them), and changing one's own row (the account page). Each round measures
with the policies on, then with row-level security on `users` switched off by the owner (as before
core0012). Prints microseconds per statement, medians of the rounds.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PEOPLE = 1000
STATEMENTS = {
    "find a person by handle": ("SELECT id, is_active FROM users WHERE handle = %s", lambda n: (f"person-{n % PEOPLE + 1}",)),
    "read 200 people": ("SELECT id, handle, display_name FROM users WHERE id <= 200", lambda n: ()),
    "change one's own row": ("UPDATE users SET language = 'uk' WHERE id = %s", lambda n: (1,)),
}


def measure(app_url: str, count: int) -> dict[str, float]:
    import psycopg

    from hromada import create_app
    from hromada.tenancy import TenancyContext
    from hromada.tenancy.orm import _SET_CONTEXT, database_settings
    from hromada.tenancy.signing import context_key, sign

    key = context_key(create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}))
    results = {}
    with psycopg.connect(app_url.replace("postgresql+psycopg://", "postgresql://")) as connection, \
            connection.cursor() as cursor:
        settings = database_settings(TenancyContext(user_id=1))
        settings["signature"] = sign(key, settings, connection.info.backend_pid)
        cursor.execute(_SET_CONTEXT, settings)
        for name, (statement, parameters) in STATEMENTS.items():
            started = time.perf_counter()
            for n in range(count):
                cursor.execute(statement, parameters(n))
            results[name] = (time.perf_counter() - started) / count * 1e6
        connection.rollback()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    os.environ.setdefault("HROMADA_CONTEXT_KEY", secrets.token_urlsafe(32))
    from sqlalchemy import create_engine, text

    from hromada.testing.services import ensure_application_role, scratch_postgres_database

    with scratch_postgres_database("hromada_users_policies") as owner_url:
        app_url = ensure_application_role(owner_url)
        subprocess.run([str(BIN / "flask"), "--app", "hromada", "db", "upgrade", "heads"], cwd=ROOT, check=True,
                       env={**os.environ, "DATABASE_URL": owner_url, "HROMADA_INSTANCE_PATH": "/tmp/hromada-users"},
                       capture_output=True, timeout=300)
        engine = create_engine(owner_url)
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO users (handle, display_name, password_hash, is_platform_admin, is_active)"
                     " SELECT 'person-' || n, '', '', false, true FROM generate_series(1, :people) n"),
                {"people": PEOPLE})
            connection.execute(text("ANALYZE"))

        def switch(on: bool) -> None:
            with engine.begin() as connection:
                connection.execute(text(f"ALTER TABLE users {'ENABLE' if on else 'DISABLE'} ROW LEVEL SECURITY"))

        results: dict[str, dict[str, list[float]]] = {"after (policies)": {}, "before (none)": {}}
        for _ in range(arguments.rounds):
            for label, on in (("after (policies)", True), ("before (none)", False)):
                switch(on)
                for name, value in measure(app_url, arguments.statements).items():
                    results[label].setdefault(name, []).append(value)
        switch(True)
        engine.dispose()
        print(f"µs per statement, median of {arguments.rounds} rounds of {arguments.statements:,}:")
        for name in STATEMENTS:
            before = statistics.median(results["before (none)"][name])
            after = statistics.median(results["after (policies)"][name])
            print(f"  {name:28} before {before:8.1f}   after {after:8.1f}   ({after - before:+.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
