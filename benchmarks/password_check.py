"""What reading a password hash through the owner's function costs a sign-in (migration core0009).

    .venv/bin/python benchmarks/password_check.py            # 2,000 sign-ins' reads, 5 rounds

On a scratch PostgreSQL database (HROMADA_TEST_POSTGRES_URL), migrated as the owner, with 1,000
people, as the app's own role, in one transaction:
1. before: reading the hash column of one person's row, as sign-in did before core0009;
2. after: what `hromada.modules.accounts.passwords.stored_hash` does: setting the signed context
   that names the person, `SELECT hromada_password_hash(id)`, and setting the context back;
3. for scale: one Argon2id verification with the production profile (RFC 9106 low memory).
Prints microseconds per sign-in, medians of the rounds.
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


def measure(app_url: str, count: int) -> dict[str, float]:
    import psycopg

    from hromada import create_app
    from hromada.tenancy import TenancyContext
    from hromada.tenancy.orm import _SET_CONTEXT, database_settings
    from hromada.tenancy.signing import context_key, sign

    key = context_key(create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}))
    with psycopg.connect(app_url.replace("postgresql+psycopg://", "postgresql://")) as connection, \
            connection.cursor() as cursor:
        pid = connection.info.backend_pid

        def set_context(context: TenancyContext) -> None:
            settings = database_settings(context)
            settings["signature"] = sign(key, settings, pid)
            cursor.execute(_SET_CONTEXT, settings)

        started = time.perf_counter()
        for n in range(count):
            cursor.execute("SELECT password_hash FROM users WHERE id = %s", (n % PEOPLE + 1,))
            cursor.fetchall()
        before = (time.perf_counter() - started) / count * 1e6
        started = time.perf_counter()
        for n in range(count):
            person = n % PEOPLE + 1
            set_context(TenancyContext(credential_user=person))
            cursor.execute("SELECT hromada_password_hash(%s)", (person,))
            assert cursor.fetchone()[0].startswith("$argon2id$")
            set_context(TenancyContext())
        after = (time.perf_counter() - started) / count * 1e6
        connection.rollback()
    return {"before: the column": before, "after: signed context + function": after}


def argon2_verify() -> float:
    from argon2 import PasswordHasher, profiles

    hasher = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
    hashed = hasher.hash("correct horse battery staple")
    started = time.perf_counter()
    for _ in range(5):
        hasher.verify(hashed, "correct horse battery staple")
    return (time.perf_counter() - started) / 5 * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    os.environ.setdefault("HROMADA_CONTEXT_KEY", secrets.token_urlsafe(32))
    from argon2 import PasswordHasher, profiles
    from sqlalchemy import create_engine, text

    from hromada.testing.services import ensure_application_role, scratch_postgres_database

    with scratch_postgres_database("hromada_password_check") as owner_url:
        app_url = ensure_application_role(owner_url)
        subprocess.run([str(BIN / "flask"), "--app", "hromada", "db", "upgrade", "heads"], cwd=ROOT, check=True,
                       env={**os.environ, "DATABASE_URL": owner_url, "HROMADA_INSTANCE_PATH": "/tmp/hromada-pw"},
                       capture_output=True, timeout=300)
        engine = create_engine(owner_url)
        with engine.begin() as connection:  # the trigger moves each hash into hromada_private
            connection.execute(
                text("INSERT INTO users (handle, display_name, password_hash, is_platform_admin, is_active)"
                     " SELECT 'person-' || n, '', :hash, false, true FROM generate_series(1, :people) n"),
                {"hash": PasswordHasher.from_parameters(profiles.CHEAPEST).hash("x"), "people": PEOPLE},
            )
            connection.execute(text("ANALYZE"))
        engine.dispose()
        results: dict[str, list[float]] = {}
        for _ in range(arguments.rounds):
            for name, value in measure(app_url, arguments.statements).items():
                results.setdefault(name, []).append(value)
        print(f"µs per sign-in, median of {arguments.rounds} rounds of {arguments.statements:,}:")
        for name, values in results.items():
            print(f"  {name:40} {statistics.median(values):10.1f}")
        print(f"  {'one Argon2id verification (for scale)':40} {argon2_verify():10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
