"""Faults a person should not notice (issue 18): here, Redis down while people sign in."""

from __future__ import annotations

import logging

import pytest

from hromada.testing.factories import PASSWORD, sign_in

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
