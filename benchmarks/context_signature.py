"""What the signed tenancy context costs a statement: the policies with and without the signature check.

    .venv/bin/python benchmarks/context_signature.py            # 5,000 statements of each kind

On a scratch PostgreSQL database (HROMADA_TEST_POSTGRES_URL), migrated as the owner, with
one community of 200 members and 200 communities beside it, as the app's own role:
1. one indexed row of `community_memberships` (what most statements of a page are);
2. the community's 200 membership rows;
3. setting a signed context (what every transaction and every change of context does);
each timed in one transaction, once with the policies as migrated (the signature
checked once per statement) and once with the check taken out of the policies, as
before core0008. Prints microseconds per statement, medians of 5 rounds.
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


def timed(cursor, statement: str, parameters: tuple, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        cursor.execute(statement, parameters)
        cursor.fetchall()
    return (time.perf_counter() - started) / count * 1e6


def measure(app_url: str, community: int, count: int, signed: bool) -> dict[str, float]:
    import psycopg

    from hromada import create_app
    from hromada.tenancy import TenancyContext
    from hromada.tenancy.orm import _SET_CONTEXT, database_settings
    from hromada.tenancy.signing import context_key, sign

    UNSIGNED_SET_CONTEXT = _SET_CONTEXT.split(", set_config('app.context_signature'")[0]

    key = context_key(create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}))
    with psycopg.connect(app_url.replace("postgresql+psycopg://", "postgresql://")) as connection, \
            connection.cursor() as cursor:
        pid = connection.info.backend_pid
        settings = database_settings(TenancyContext(tenant_id=community))
        settings["signature"] = sign(key, settings, pid)
        cursor.execute(_SET_CONTEXT, settings)
        one = timed(cursor, "SELECT id FROM community_memberships WHERE tenant_id = %s AND user_id = %s",
                    (community, 1), count)
        rows = timed(cursor, "SELECT id, user_id FROM community_memberships WHERE tenant_id = %s", (community,),
                     count // 5)
        # Setting the context: signed (the HMAC computed here, the sixth setting sent) or not, as before.
        started = time.perf_counter()
        for _ in range(count):
            if signed:
                settings["signature"] = sign(key, settings, pid)
                cursor.execute(_SET_CONTEXT, settings)
            else:
                cursor.execute(UNSIGNED_SET_CONTEXT, settings)
        context = (time.perf_counter() - started) / count * 1e6
        connection.rollback()
    return {"one indexed row": one, "200 rows of one community": rows, "setting the context": context}


def policies(owner_url: str, signed: bool) -> None:
    from sqlalchemy import create_engine, text

    from hromada.tenancy.rls import policy_expressions, unsigned_policy_expressions

    expressions = policy_expressions if signed else unsigned_policy_expressions
    engine = create_engine(owner_url)
    with engine.begin() as connection:
        read, write = expressions("tenant_id", "membership")
        connection.execute(text(f"ALTER POLICY tenant_isolation ON community_memberships USING ({read}) "
                                f"WITH CHECK ({write})"))
    engine.dispose()


def fill(owner_url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(owner_url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO users (handle, display_name, password_hash, is_platform_admin, is_active)"
                                " SELECT 'member-' || n, '', 'x', false, true FROM generate_series(1, 400) n"))
        communities = connection.execute(text(
            "INSERT INTO communities (name) SELECT 'Community ' || n FROM generate_series(1, 201) n RETURNING id"
        )).scalars().all()
        first = communities[0]
        connection.execute(text("INSERT INTO community_memberships (tenant_id, user_id, role)"
                                " SELECT :first, id, 'member' FROM users ORDER BY id LIMIT 200"), {"first": first})
        connection.execute(text("INSERT INTO community_memberships (tenant_id, user_id, role)"
                                " SELECT c, 1, 'member' FROM unnest(CAST(:others AS bigint[])) c"),
                           {"others": communities[1:]})
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    os.environ.setdefault("HROMADA_CONTEXT_KEY", secrets.token_urlsafe(32))
    from hromada.testing.services import ensure_application_role, scratch_postgres_database

    with scratch_postgres_database("hromada_signature") as owner_url:
        app_url = ensure_application_role(owner_url)
        subprocess.run([str(BIN / "flask"), "--app", "hromada", "db", "upgrade", "heads"], cwd=ROOT, check=True,
                       env={**os.environ, "DATABASE_URL": owner_url, "HROMADA_INSTANCE_PATH": "/tmp/hromada-sig"},
                       capture_output=True, timeout=300)
        community = fill(owner_url)
        results: dict[str, dict[str, list[float]]] = {"without the check": {}, "signed": {}}
        for _ in range(arguments.rounds):
            for label, signed in (("without the check", False), ("signed", True)):
                policies(owner_url, signed)
                for name, value in measure(app_url, community, arguments.statements, signed).items():
                    results[label].setdefault(name, []).append(value)
        print(f"{'statement':32} {'without the check':>18} {'signed':>10} {'difference':>11}   (µs, median of "
              f"{arguments.rounds} rounds of {arguments.statements:,})")
        for name in results["signed"]:
            before = statistics.median(results["without the check"][name])
            after = statistics.median(results["signed"][name])
            print(f"{name:32} {before:18.1f} {after:10.1f} {after - before:+11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
