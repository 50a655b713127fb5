"""Faults a person should not notice (issue 18): Redis down while people sign in, a database restart.

The jobs' faults (Redis emptied, a worker killed mid-run) are in tests/test_jobs.py."""

from __future__ import annotations

import functools

import logging
import threading
import time

import pytest
from sqlalchemy import create_engine, make_url, select, text

from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.testing.factories import PASSWORD, csrf_token, sign_in

UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


@pytest.fixture
def app_config(app_config):
    """The limits keep their counts in a Redis that cannot be reached."""
    return {**app_config, "RATELIMIT_STORAGE_URI": UNREACHABLE_REDIS}


def test_people_sign_in_while_redis_is_down_and_are_still_limited(world, app, caplog):
    caplog.set_level(logging.INFO)
    assert sign_in(app.test_client(), "member-a", PASSWORD).status_code == 302
    stranger = app.test_client()
    for _ in range(5):
        assert sign_in(stranger, "operator-a", "a wrong guess, again").status_code == 200
    assert sign_in(stranger, "operator-a", PASSWORD).status_code == 429
    # Said once per process (the limiter is the process's one object: a test run's earlier app may have said it).
    switched = [record for record in caplog.records if "falling back to in-memory storage" in record.getMessage()]
    assert len(switched) <= 1
    assert "operator-a" not in caplog.text and "member-a" not in caplog.text


# --- A database restart (issue 18): reads run once more, writes say plainly that nothing was saved ------------


@pytest.fixture
def cut_connections(app, database_url, request):
    """`cut_connections(n)`: the next n requests lose their database connection midway, as in a restart.

    Each request first uses its connection (so the pool's check at checkout passes), then another
    connection, the owner's, ends its backend with `pg_terminate_backend`, as the view (the account page,
    which these tests open) starts: after every before-request check, whatever those read.
    `refuse_for=seconds`: the database also refuses new connections that long, as while it restarts
    (this test's database only: the server is shared).
    """
    if not database_url.startswith("postgresql"):
        pytest.skip("pg_terminate_backend: PostgreSQL only")
    owner_url = make_url(request.getfixturevalue("postgres_owner_database")[0])
    database = owner_url.database
    # From the server's maintenance database: PostgreSQL refuses to close a database to the connection it is in.
    owner = create_engine(owner_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    pending: list[int] = [0]
    refusal: list[float] = [0.0]
    threads: list[threading.Thread] = []

    def allow_connections(allowed: bool) -> None:
        with owner.connect() as connection:
            connection.exec_driver_sql(
                f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS {"true" if allowed else "false"}')

    def lose_the_connection():
        if pending[0]:
            pending[0] -= 1
            pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
            if refusal[0]:
                allow_connections(False)
                threads.append(threading.Timer(refusal[0], allow_connections, args=(True,)))
                threads[-1].start()
            with owner.connect() as connection:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    account = app.view_functions["accounts.account"]

    @functools.wraps(account)
    def account_losing_its_connection(*args, **kwargs):
        if pending[0]:
            lose_the_connection()
            db.session.expire_all()  # what the checks before the view loaded is read again, as the view needs it
        return account(*args, **kwargs)

    app.view_functions["accounts.account"] = account_losing_its_connection

    def cut(requests: int = 1, refuse_for: float = 0.0) -> None:
        pending[0] = requests
        refusal[0] = refuse_for

    yield cut
    for thread in threads:
        thread.join()
    allow_connections(True)
    owner.dispose()


def display_name(login: str) -> str:
    db.session.expire_all()
    return db.session.scalar(select(User.display_name).where(User.handle == login))


@pytest.mark.real_commits
@pytest.mark.usefixtures("own_app")
def test_a_read_that_loses_its_database_connection_runs_once_more(world, app, cut_connections, caplog):
    client = app.test_client()
    sign_in(client, "member-a")
    cut_connections(1)

    response = client.get("/account")

    assert response.status_code == 200
    assert "Display name" in response.get_data(as_text=True)
    assert "connection was lost during GET accounts.account (AdminShutdown); running it once more" in caplog.text


@pytest.mark.real_commits
@pytest.mark.usefixtures("own_app")
def test_a_read_during_a_database_restart_waits_for_the_database_and_succeeds(world, app, cut_connections):
    client = app.test_client()
    sign_in(client, "member-a")
    cut_connections(1, refuse_for=1.0)

    started = time.monotonic()
    response = client.get("/account")

    assert response.status_code == 200
    assert "Display name" in response.get_data(as_text=True)
    assert 1.0 <= time.monotonic() - started < 3.0


@pytest.mark.real_commits
@pytest.mark.usefixtures("own_app")
def test_a_read_that_loses_its_connection_twice_asks_to_try_again(world, app, cut_connections):
    client = app.test_client()
    sign_in(client, "member-a")
    cut_connections(2)

    response = client.get("/account")

    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "The database did not answer. Please try again in a moment." in response.get_data(as_text=True)
    assert client.get("/account").status_code == 200


@pytest.mark.real_commits
@pytest.mark.usefixtures("own_app")
def test_a_write_that_loses_its_connection_is_not_retried_and_says_nothing_was_saved(world, app, cut_connections):
    client = app.test_client()
    sign_in(client, "member-a")
    before = display_name("member-a")
    token = csrf_token(client, "/account")
    cut_connections(1)

    response = client.post("/account", data={"csrf_token": token, "display_name": "Olena from block 14",
                                             "language": "en"})

    assert response.status_code == 503
    assert "The connection to the database was lost and nothing was saved." in response.get_data(as_text=True)
    assert display_name("member-a") == before
