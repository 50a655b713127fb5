"""Confidential values: sealed at rest under per-community keys, master-key rotation, crypto-erase.

Every test that uses `app` runs on SQLite and on PostgreSQL (there as the
application role, under row-level security). Master keys are fixed test keys:
the fixture app runs under OLD_KEY; other apps on the same database are built
with other keys to play a server with a wrong key, a rotation, and its end.
"""

from __future__ import annotations

import base64
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Integer, LargeBinary, create_engine, event, inspect, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from hromada import create_app, tenancy
from hromada.config import ConfigurationError, decode_master_key, from_environment
from hromada.extensions import db
from hromada.modules.audit.models import AuditEvent
from hromada.modules.confidential.crypto import (
    ConfidentialError,
    KeyUnavailable,
    SealedText,
    Tampered,
    WrongMasterKey,
    destroy_data_key,
    seal,
    unseal,
)
from hromada.modules.confidential.keys import WRAPPED_KEY_BYTES, fingerprint
from hromada.modules.confidential.models import DataKey
from hromada.tenancy import TenantViolation

FLASK = Path(sys.executable).parent / "flask"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


OLD_KEY = b64(bytes(range(32)))
NEW_KEY = b64(bytes(range(100, 132)))
OLD_ID = fingerprint(decode_master_key(OLD_KEY))
NEW_ID = fingerprint(decode_master_key(NEW_KEY))
PURPOSE = "tests.private_notes"
# Fictional, and distinctive enough that finding it anywhere means it leaked.
NOTE = "Зустріч уночі в підвалі на Садовій; secret-note-7f3a"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "HROMADA_MASTER_KEY": OLD_KEY, "HROMADA_PREVIOUS_MASTER_KEYS": []}



@pytest.fixture
def ids(world):
    """Community ids: a1, a2 (organisation A), b1, b2 (organisation B)."""
    return {
        "a1": world.a.communities[0].id,
        "a2": world.a.communities[1].id,
        "b1": world.b.communities[0].id,
        "b2": world.b.communities[1].id,
    }


@contextmanager
def other_server(app_config, **keys):
    """Another app on the same database, as a server configured with other master keys."""
    server = create_app({**app_config, **keys})
    with server.app_context():
        yield server
        db.session.remove()
        db.engine.dispose()


def sealed_in(tenant_id: int, plaintext: str = NOTE, purpose: str = PURPOSE) -> bytes:
    with tenancy.scope(tenant_id=tenant_id):
        blob = seal(plaintext, purpose)
    db.session.commit()
    return blob


def opened_in(tenant_id: int, blob: bytes, purpose: str = PURPOSE) -> str:
    with tenancy.scope(tenant_id=tenant_id):
        return unseal(blob, purpose)


def data_keys() -> dict[int, tuple[str, bytes, object]]:
    with tenancy.system_scope():
        rows = db.session.execute(select(DataKey.tenant_id, DataKey.master_key_id, DataKey.wrapped_key,
                                         DataKey.destroyed_at)).all()
    db.session.rollback()
    return {row.tenant_id: (row.master_key_id, bytes(row.wrapped_key), row.destroyed_at) for row in rows}


# --- Sealing and unsealing ---------------------------------------------------------------


def test_a_sealed_value_opens_in_its_community_and_field(ids):
    tenancy.set_tenant(ids["a1"])
    first, second = seal(NOTE, PURPOSE), seal(NOTE, PURPOSE)
    assert first != second  # a fresh nonce for every value
    assert first[0] == 1 and len(first) == 1 + 12 + len(NOTE.encode()) + 16
    assert NOTE.encode() not in first
    assert unseal(first, PURPOSE) == unseal(second, PURPOSE) == NOTE
    assert unseal(seal("", PURPOSE), PURPOSE) == ""


def test_a_community_gets_one_data_key_on_first_use(ids):
    assert data_keys() == {}
    blob = sealed_in(ids["a1"])
    db.session.remove()  # a new request: nothing cached
    sealed_in(ids["a1"], "another note")
    keys = data_keys()
    assert list(keys) == [ids["a1"]]
    master_key_id, wrapped, destroyed_at = keys[ids["a1"]]
    assert (master_key_id, len(wrapped), destroyed_at) == (OLD_ID, WRAPPED_KEY_BYTES, None)
    assert opened_in(ids["a1"], blob) == NOTE


def test_a_key_made_in_a_rolled_back_transaction_is_never_used(ids):
    tenancy.set_tenant(ids["a1"])
    seal("lost with the transaction", PURPOSE)
    db.session.rollback()
    blob = seal(NOTE, PURPOSE)  # must make (and store) a new key, not reuse the lost one
    db.session.commit()
    db.session.remove()
    assert list(data_keys()) == [ids["a1"]]
    assert opened_in(ids["a1"], blob) == NOTE


def test_sealing_needs_a_community_the_context_may_reach(ids):
    with pytest.raises(TenantViolation):
        seal(NOTE, PURPOSE)  # no current community
    blob = sealed_in(ids["a1"])
    tenancy.set_tenant(ids["a2"])
    with pytest.raises(TenantViolation):
        seal(NOTE, PURPOSE, tenant_id=ids["a1"])
    with pytest.raises(TenantViolation):
        unseal(blob, PURPOSE, tenant_id=ids["a1"])
    with pytest.raises(ValueError):
        seal(NOTE, "")
    with pytest.raises(ValueError):
        seal(NOTE, "a\x00b")
    with pytest.raises(TypeError):
        seal(b"bytes", PURPOSE)


def test_staff_reading_a_community_open_its_values_by_naming_it(ids):
    blob = sealed_in(ids["a1"])
    db.session.remove()
    tenancy.allow_reading({ids["a1"], ids["a2"]})  # as a mentor's audited read sets it
    assert unseal(blob, PURPOSE, tenant_id=ids["a1"]) == NOTE
    with pytest.raises(TenantViolation):
        unseal(blob, PURPOSE)  # which community? never guessed
    with pytest.raises(TenantViolation):
        unseal(blob, PURPOSE, tenant_id=ids["b1"])
    # A staff member's note for a community without a key yet makes the key (row-level security allows it).
    note_for_a2 = seal("staff note", PURPOSE, tenant_id=ids["a2"])
    db.session.commit()
    assert set(data_keys()) == {ids["a1"], ids["a2"]}
    assert opened_in(ids["a2"], note_for_a2) == "staff note"


def test_a_reader_sees_only_the_data_keys_of_communities_it_reads(ids):
    for name in ("a1", "a2", "b1"):
        sealed_in(ids[name])
    db.session.remove()
    tenancy.allow_reading({ids["a1"]})
    assert db.session.scalars(select(DataKey.tenant_id)).all() == [ids["a1"]]
    # Raw SQL too: on PostgreSQL row-level security filters it (SQLite has only the ORM wall).
    if db.engine.dialect.name == "postgresql":
        assert db.session.execute(text("SELECT tenant_id FROM data_keys")).scalars().all() == [ids["a1"]]


# --- Refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("position", [0, 1, 12, 13, -1], ids=["version", "nonce", "nonce-end", "ciphertext", "tag"])
def test_flipping_any_byte_makes_the_value_tampered(ids, position):
    blob = bytearray(sealed_in(ids["a1"]))
    blob[position] ^= 0x01
    with pytest.raises(Tampered):
        opened_in(ids["a1"], bytes(blob))


def test_a_truncated_or_empty_value_is_tampered(ids):
    blob = sealed_in(ids["a1"])
    for broken in (blob[:-1], blob[:20], b""):
        with pytest.raises(Tampered):
            opened_in(ids["a1"], broken)


def test_a_value_moved_to_another_community_or_field_is_refused(ids):
    blob = sealed_in(ids["a1"])
    with pytest.raises(Tampered):
        opened_in(ids["a2"], blob)  # a2 has no key at all
    sealed_in(ids["a2"], "a2's own note")
    with pytest.raises(Tampered):
        opened_in(ids["a2"], blob)  # a2's key does not open a1's value
    with pytest.raises(Tampered):
        opened_in(ids["a1"], blob, purpose="consultations.summary")
    assert opened_in(ids["a1"], blob) == NOTE


def test_a_wrapped_key_altered_in_the_database_is_tampered(ids):
    blob = sealed_in(ids["a1"])
    db.session.remove()
    tenancy.set_tenant(ids["a1"])
    wrapped = bytearray(data_keys()[ids["a1"]][1])
    wrapped[30] ^= 0x01
    db.session.execute(update(DataKey).values(wrapped_key=bytes(wrapped)))
    db.session.commit()
    with pytest.raises(Tampered):
        unseal(blob, PURPOSE)


def test_a_wrapped_key_copied_to_another_community_does_not_open(ids):
    blob = sealed_in(ids["a1"])
    sealed_in(ids["a2"], "a2's note")
    db.session.remove()
    a1_key = data_keys()[ids["a1"]]
    tenancy.set_tenant(ids["a2"])
    db.session.execute(update(DataKey).values(wrapped_key=a1_key[1]))  # a2 now holds a1's wrapped key
    db.session.commit()
    with pytest.raises(Tampered):
        unseal(blob, PURPOSE)


def test_a_server_with_another_master_key_cannot_open_the_data_keys(ids, app_config):
    blob = sealed_in(ids["a1"])
    db.session.close()
    with other_server(app_config, HROMADA_MASTER_KEY=NEW_KEY):
        tenancy.set_tenant(ids["a1"])
        with pytest.raises(WrongMasterKey):
            unseal(blob, PURPOSE)
        with pytest.raises(WrongMasterKey):
            seal("a new note", PURPOSE)  # never a second key for the community


def test_errors_are_translatable_and_hold_nothing_confidential(ids, caplog):
    caplog.set_level(logging.DEBUG)  # SQLAlchemy's statement and parameter log included
    blob = sealed_in(ids["a1"])
    errors = []
    for attempt in (lambda: opened_in(ids["a1"], blob[:-1]), lambda: opened_in(ids["a2"], blob)):
        with pytest.raises(ConfidentialError) as caught:
            attempt()
        errors.append(caught.value)
    assert str(errors[0]) == "This note was altered and cannot be trusted."
    assert hasattr(errors[0].message, "_args")  # a lazy gettext string, translated where it is shown
    for error in errors:
        assert NOTE not in repr(error.args) and NOTE not in str(error)
    assert NOTE not in caplog.text
    assert OLD_KEY not in caplog.text


# --- Nothing in the clear at rest ---------------------------------------------------------------


class NotesBase(DeclarativeBase):
    """A model of the tests' own, on its own metadata: what a colleague's model looks like."""


class PrivateNote(NotesBase):
    __tablename__ = "confidential_test_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(Integer)
    body_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    body = SealedText("body_sealed", purpose=PURPOSE)


def owner_url(request) -> str | None:
    if db.engine.dialect.name != "postgresql":
        return None
    return request.getfixturevalue("postgres_owner_database")[0]


@pytest.fixture
def notes_table(app, request):
    """Create the notes table (as the owner on PostgreSQL, which grants the app role its rights)."""
    url = owner_url(request)
    engine = create_engine(url) if url else db.engine
    NotesBase.metadata.create_all(engine)
    yield PrivateNote
    db.session.remove()
    NotesBase.metadata.drop_all(engine)
    if url:
        engine.dispose()


def stored_values(engine) -> list:
    """Every value of every row of every table, read as the owner (no row-level security)."""
    values = []
    with engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{name}"')):
                values.extend(row)
    return values


def full_dump(request) -> str:
    """The database as a backup holds it: `pg_dump` on PostgreSQL, `.dump` on SQLite."""
    url = owner_url(request)
    if url is None:
        connection = sqlite3.connect(db.engine.url.database)
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed")
    libpq_url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    dump = subprocess.run([pg_dump, "--data-only", "--dbname", libpq_url], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PGCONNECT_TIMEOUT": "5"})
    assert dump.returncode == 0, dump.stderr
    return dump.stdout


@pytest.mark.real_commits  # its table is made, and read, by the owner on a connection of its own
def test_the_plaintext_appears_nowhere_in_the_database(ids, notes_table, request):
    tenancy.set_tenant(ids["a1"])
    note = notes_table(tenant_id=ids["a1"])
    note.body = NOTE
    db.session.add(note)
    db.session.commit()
    sealed = note.body_sealed
    db.session.remove()

    url = owner_url(request)
    engine = create_engine(url) if url else db.engine
    values = stored_values(engine)
    if url:
        engine.dispose()
    texts = [str(value) for value in values if not isinstance(value, (bytes, memoryview))]
    blobs = [bytes(value) for value in values if isinstance(value, (bytes, memoryview))]
    # The search finds what is there: the community's name in the clear, the sealed value as bytes.
    assert any("secret-a1" in value for value in texts)
    assert sealed in blobs
    assert not any(NOTE in value for value in texts)
    assert not any(NOTE.encode() in value for value in blobs)
    assert not any(NOTE.encode("utf-16-le") in value for value in blobs)

    dump = full_dump(request)
    assert "secret-a1" in dump
    assert NOTE not in dump and "secret-note-7f3a" not in dump

    tenancy.set_tenant(ids["a1"])
    assert db.session.get(notes_table, note.id).body == NOTE


@pytest.mark.real_commits  # its table is made, and read, by the owner on a connection of its own
def test_sealed_text_seals_for_the_rows_community_and_refuses_a_moved_value(ids, notes_table):
    tenancy.set_tenant(ids["a1"])
    note = notes_table(tenant_id=ids["a1"], body=None)
    assert note.body is None and note.body_sealed is None
    note.body = NOTE
    moved = notes_table(tenant_id=ids["a2"], body_sealed=note.body_sealed)
    db.session.add_all([note, moved])
    db.session.commit()
    assert note.body == NOTE
    tenancy.allow_reading({ids["a2"]})
    with pytest.raises(Tampered):
        moved.body  # noqa: B018 - reading unseals
    assert notes_table.body.purpose == PURPOSE  # the descriptor itself, on the class


# --- Rotation -------------------------------------------------------------------------------------


def test_rotation_rewraps_every_key_in_batches_and_the_old_key_can_then_go(ids, app_config):
    blobs = {name: sealed_in(tenant_id, f"{NOTE} ({name})") for name, tenant_id in ids.items()}
    db.session.close()

    # A server given only the new key cannot open the old keys, and a rotation there changes nothing.
    with other_server(app_config, HROMADA_MASTER_KEY=NEW_KEY) as server:
        result = server.test_cli_runner().invoke(args=["keys", "rotate"])
        assert result.exit_code == 1
        assert "4 keys are under master keys this server was not given" in result.output
        assert "Re-wrapped 0 community keys" in result.output
    assert {key[0] for key in data_keys().values()} == {OLD_ID}

    # During the rotation: new key current, old key previous. Everything opens.
    with other_server(app_config, HROMADA_MASTER_KEY=NEW_KEY, HROMADA_PREVIOUS_MASTER_KEYS=[OLD_KEY]) as server:
        for name, tenant_id in ids.items():
            assert opened_in(tenant_id, blobs[name]) == f"{NOTE} ({name})"
        db.session.rollback()
        runner = server.test_cli_runner()
        status = runner.invoke(args=["keys", "status"])
        assert status.exit_code == 0, status.output
        assert f"{OLD_ID}       4 community keys  (previous" in status.output
        assert "4 keys are not under the current master key" in status.output

        commits = []

        def count_commit(session):
            commits.append(session)

        event.listen(Session, "after_commit", count_commit)
        try:
            result = runner.invoke(args=["keys", "rotate", "--batch-size", "3"])
        finally:
            event.remove(Session, "after_commit", count_commit)
        assert result.exit_code == 0, result.output
        assert f"Re-wrapped 4 community keys under master key {NEW_ID} in 2 batches." in result.output
        assert "0 keys are left under old master keys." in result.output
        assert len(commits) >= 2  # each batch in its own transaction (and the audit entry)
        again = runner.invoke(args=["keys", "rotate"])
        assert "Re-wrapped 0 community keys" in again.output and again.exit_code == 0
        with tenancy.system_scope():
            audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "master_key_rotated")).all()
            assert [event.details for event in audit] == [{"master_key_id": NEW_ID, "rewrapped": 4}]
        db.session.rollback()
    assert {key[0] for key in data_keys().values()} == {NEW_ID}

    # After it: the old key is dropped from the configuration, and everything still opens.
    with other_server(app_config, HROMADA_MASTER_KEY=NEW_KEY):
        for name, tenant_id in ids.items():
            assert opened_in(tenant_id, blobs[name]) == f"{NOTE} ({name})"
    # A server still on the old key alone is now the wrong one.
    with other_server(app_config, HROMADA_MASTER_KEY=OLD_KEY):
        with pytest.raises(WrongMasterKey):
            opened_in(ids["a1"], blobs["a1"])


def test_during_a_rotation_new_keys_are_made_under_the_new_master_key(ids, app_config):
    old_note = sealed_in(ids["a1"])
    db.session.close()
    with other_server(app_config, HROMADA_MASTER_KEY=NEW_KEY, HROMADA_PREVIOUS_MASTER_KEYS=f" {OLD_KEY} ,"):
        new_note = sealed_in(ids["a2"], "made mid-rotation")
        assert opened_in(ids["a1"], old_note) == NOTE
    keys = data_keys()
    assert (keys[ids["a1"]][0], keys[ids["a2"]][0]) == (OLD_ID, NEW_ID)
    # The old server, still running with the old key only, cannot open the new community's key yet:
    # why the README says to list the new key as a previous key everywhere before making it current.
    with pytest.raises(WrongMasterKey):
        opened_in(ids["a2"], new_note)


def test_rotation_leaves_destroyed_keys_destroyed(ids, app_config):
    blob = sealed_in(ids["b2"])
    sealed_in(ids["b1"])
    with tenancy.system_scope():
        destroy_data_key(ids["b2"])
    db.session.commit()
    db.session.close()
    with other_server(app_config, HROMADA_MASTER_KEY=NEW_KEY, HROMADA_PREVIOUS_MASTER_KEYS=OLD_KEY) as server:
        result = server.test_cli_runner().invoke(args=["keys", "rotate"])
        assert "Re-wrapped 1 community keys" in result.output, result.output
        assert "destroyed      1 community keys" in result.output
        with pytest.raises(KeyUnavailable):
            opened_in(ids["b2"], blob)
    assert data_keys()[ids["b2"]][1] == bytes(WRAPPED_KEY_BYTES)


# --- Crypto-erase ----------------------------------------------------------------------------------


def test_destroying_a_key_makes_its_communitys_values_unreadable_for_good(ids, runner):
    blob = sealed_in(ids["a1"])
    other = sealed_in(ids["a2"])
    db.session.close()

    refused = runner.invoke(args=["keys", "destroy", str(ids["a1"])], input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    assert opened_in(ids["a1"], blob) == NOTE

    result = runner.invoke(args=["keys", "destroy", str(ids["a1"]), "--yes"])
    assert result.exit_code == 0, result.output
    assert f"Destroyed the data key of community {ids['a1']}" in result.output
    db.session.remove()
    with pytest.raises(KeyUnavailable) as caught:
        opened_in(ids["a1"], blob)
    assert str(caught.value) == "This note can no longer be read: its community's key was destroyed."
    with pytest.raises(KeyUnavailable):
        sealed_in(ids["a1"], "a new note after the erase")
    db.session.rollback()
    assert opened_in(ids["a2"], other) == NOTE  # the neighbour is untouched

    master_key_id, wrapped, destroyed_at = data_keys()[ids["a1"]]
    assert wrapped == bytes(WRAPPED_KEY_BYTES) and destroyed_at is not None
    with tenancy.system_scope():
        audit = db.session.execute(
            select(AuditEvent.community_id).where(AuditEvent.action == "community_key_destroyed")
        ).scalars().all()
    assert audit == [ids["a1"]]

    again = runner.invoke(args=["keys", "destroy", str(ids["a1"]), "--yes"])
    assert again.exit_code == 0 and "already destroyed" in again.output
    unknown = runner.invoke(args=["keys", "destroy", "999999", "--yes"])
    assert unknown.exit_code == 1 and "There is no community with id 999999" in unknown.output


def test_a_community_erased_before_it_had_a_key_never_gets_one(ids):
    tenancy.set_tenant(ids["b1"])
    assert destroy_data_key(ids["b1"]) is True
    db.session.commit()
    assert destroy_data_key(ids["b1"]) is False
    with pytest.raises(KeyUnavailable):
        seal(NOTE, PURPOSE)
    db.session.rollback()
    assert data_keys()[ids["b1"]][2] is not None


def test_only_the_community_itself_or_a_command_destroys_its_key(ids):
    sealed_in(ids["a1"])
    tenancy.set_tenant(ids["a2"])
    with pytest.raises(TenantViolation):
        destroy_data_key(ids["a1"])
    tenancy.set_tenant(None)
    tenancy.allow_reading({ids["a1"]})
    with pytest.raises(TenantViolation):
        destroy_data_key(ids["a1"])


# --- Configuration and commands ---------------------------------------------------------------------


def production(**values) -> dict:
    return {"HROMADA_ENV": "production", "DATABASE_URL": "postgresql://db/hromada", "SECRET_KEY": "s", **values}


def test_production_requires_a_master_key(tmp_path):
    with pytest.raises(ConfigurationError, match="HROMADA_MASTER_KEY must be set"):
        from_environment(tmp_path, production())
    config = from_environment(tmp_path, production(HROMADA_MASTER_KEY=NEW_KEY, HROMADA_PREVIOUS_MASTER_KEYS=OLD_KEY))
    assert (config["HROMADA_MASTER_KEY"], config["HROMADA_PREVIOUS_MASTER_KEYS"]) == (NEW_KEY, [OLD_KEY])
    assert not (tmp_path / "master_key").exists()


def test_production_app_does_not_start_without_a_master_key(tmp_path, monkeypatch):
    for name, value in production(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HROMADA_MASTER_KEY", raising=False)
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path / "instance"))
    with pytest.raises(ConfigurationError, match="HROMADA_MASTER_KEY"):
        create_app()


@pytest.mark.parametrize(
    "variable, value, complaint",
    [
        ("HROMADA_MASTER_KEY", "not a key!", "HROMADA_MASTER_KEY is not base64url"),
        ("HROMADA_MASTER_KEY", b64(bytes(16)), "HROMADA_MASTER_KEY must hold 32 random bytes in base64url; it holds 16"),
        ("HROMADA_PREVIOUS_MASTER_KEYS", f"{OLD_KEY},{b64(bytes(31))}",
         r"HROMADA_PREVIOUS_MASTER_KEYS \(key 2\) must hold 32"),
    ],
)
def test_a_malformed_master_key_stops_the_start_with_a_clear_message(tmp_path, variable, value, complaint):
    environ = {**production(HROMADA_MASTER_KEY=NEW_KEY), variable: value}
    with pytest.raises(ConfigurationError, match=complaint) as caught:
        from_environment(tmp_path, environ)
    assert value not in str(caught.value)


def test_a_malformed_key_given_to_create_app_stops_the_start(app_config):
    with pytest.raises(ConfigurationError, match="HROMADA_PREVIOUS_MASTER_KEYS"):
        create_app({**app_config, "HROMADA_PREVIOUS_MASTER_KEYS": ["short"]})
    with pytest.raises(ConfigurationError, match="HROMADA_MASTER_KEY is empty"):
        create_app({**app_config, "HROMADA_MASTER_KEY": None})


def test_development_generates_a_master_key_into_the_instance_folder(tmp_path):
    first = from_environment(tmp_path, {})["HROMADA_MASTER_KEY"]
    assert from_environment(tmp_path, {})["HROMADA_MASTER_KEY"] == first
    assert len(decode_master_key(first)) == 32
    assert oct((tmp_path / "master_key").stat().st_mode & 0o777) == "0o600"


def test_keys_generate_prints_a_new_valid_key_each_time(runner):
    keys = []
    for _ in range(2):
        result = runner.invoke(args=["keys", "generate"])
        assert result.exit_code == 0
        keys.append(result.stdout.strip())
        assert f"Its id: {fingerprint(decode_master_key(keys[-1]))}" in result.stderr
    assert keys[0] != keys[1]


def test_the_production_command_line_explains_a_missing_master_key(tmp_path):
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith(("HROMADA_", "FLASK_")) and key not in {"DATABASE_URL", "SECRET_KEY"}}
    environ.update(production(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}"),
                   HROMADA_INSTANCE_PATH=str(tmp_path / "instance"))
    result = subprocess.run([str(FLASK), "--app", "hromada", "keys", "status"], cwd=tmp_path, env=environ,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "HROMADA_MASTER_KEY must be set when HROMADA_ENV=production" in result.stderr
