"""The app factory, its pages and its configuration."""

import pytest

from hromada import create_app
from hromada.authz import public
from hromada.config import ConfigurationError


def test_home_page_lists_the_programme_and_the_stage_types(app, client, runner):
    runner.invoke(args=["demo"])
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Systemic development of communities 2027" in page
    assert "Incubator: creating and preserving communities" in page
    assert "Civic course" in page


def test_home_page_never_names_a_community(app, client, runner):
    # Community names can identify people under a repressive regime: the public page shows none.
    runner.invoke(args=["demo"])
    page = client.get("/").get_data(as_text=True)
    assert "Riverside Yard Circle" not in page


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page
    assert "Traceback" not in page


@pytest.mark.usefixtures("own_app")  # adds a route
def test_an_error_in_a_view_is_a_500_page_without_traceback(app, client):
    @app.route("/boom")
    @public
    def boom():
        raise RuntimeError("secret detail of the failure")

    app.testing = False  # let the error handler answer, as in production
    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page
    assert "secret detail" not in page
    assert "Traceback" not in page


def test_pages_load_nothing_from_another_host(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = response.get_data(as_text=True)
    assert "http://" not in page and "https://" not in page


def test_production_requires_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("HROMADA_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "x.sqlite3"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()


def test_the_page_cache_is_set_from_the_environment_and_refuses_nonsense(monkeypatch, tmp_path):
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("HROMADA_PAGE_CACHE_SIZE", "0")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "HROMADA_PLUGINS": []}).config[
        "HROMADA_PAGE_CACHE_SIZE"] == 0
    for value in ("many", "-5"):
        monkeypatch.setenv("HROMADA_PAGE_CACHE_SECONDS", value)
        with pytest.raises(ConfigurationError, match="HROMADA_PAGE_CACHE_SECONDS must be a whole number"):
            create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "HROMADA_PLUGINS": []})


def test_development_secret_key_is_generated_once_into_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("HROMADA_ENV", raising=False)
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path))
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "HROMADA_PLUGINS": []})
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "HROMADA_PLUGINS": []})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "x", "HROMADA_PLUGINS": []})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'hromada.sqlite3'}"


def test_postgres_urls_use_psycopg_3(monkeypatch, tmp_path):
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.example/hromada")
    app = create_app({"SECRET_KEY": "x", "HROMADA_PLUGINS": []})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db.example/hromada"


def test_an_id_beyond_any_database_integer_is_not_found(app, client):
    from hromada.testing.factories import build_world, sign_in

    build_world()
    sign_in(client, "coordinator-a")
    response = client.get("/communities/99999999999999999999999")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_nul_character_in_a_form_never_reaches_the_database(app, client):
    from hromada.testing.factories import build_world, sign_in

    build_world()
    # PostgreSQL refuses NUL in text: without the filter this would be a 500.
    response = sign_in(client, "coordinator-a\x00")
    assert response.status_code == 302
    assert client.get("/?q=a\x00b").status_code == 200


@pytest.mark.usefixtures("own_app")  # adds a route
# What a page's transaction ends with, on its own connection: in a savepoint, the test's writes would
# already have marked the connection as written to.
@pytest.mark.real_commits
@pytest.mark.parametrize("how", ["orm-update", "sql-text", "unflushed-change"])
def test_a_change_that_a_page_did_not_commit_is_not_kept(app, client, how):
    # A page that only read ends its transaction with a commit (PostgreSQL then keeps its prepared
    # statements); a page that changed something and did not commit must still lose the change.
    from sqlalchemy import select, text, update

    from hromada.extensions import db
    from hromada.modules.accounts.models import User
    from hromada.testing.factories import build_world

    build_world()
    db.session.remove()

    @app.route("/half-done")
    @public
    def half_done():
        if how == "orm-update":
            db.session.execute(update(User).where(User.handle == "operator-a").values(display_name="Changed"))
        elif how == "sql-text":
            db.session.execute(text("UPDATE users SET display_name = 'Changed' WHERE handle = 'operator-a'"))
        else:
            db.session.scalars(select(User).where(User.handle == "operator-a")).one().display_name = "Changed"
        return "ok"

    assert client.get("/half-done").status_code == 200
    db.session.remove()
    assert db.session.scalar(select(User.display_name).where(User.handle == "operator-a")) != "Changed"


def test_the_hromada_command_offers_what_flask_app_hromada_offers(tmp_path):
    """`pyproject.toml` installs a `hromada` console script: it lists the same commands."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    environment = {**os.environ, "HROMADA_INSTANCE_PATH": str(tmp_path)}
    environment.pop("FLASK_APP", None)
    bin_dir = Path(sys.executable).parent

    def commands(*argv) -> set[str]:
        result = subprocess.run([*argv, "--help"], capture_output=True, text=True, env=environment, timeout=120,
                                cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        listed = result.stdout.split("Commands:", 1)[1]
        return {line.split()[0] for line in listed.splitlines() if line.strip()}

    ours = commands(str(bin_dir / "hromada"))
    assert ours == commands(str(bin_dir / "flask"), "--app", "hromada")
    assert {"db", "demo", "worker", "keys", "accounts"} <= ours


def test_an_operator_finds_the_staff_page_and_the_audit_log_by_following_links(app, world):
    from hromada.testing.factories import signed_in

    operator = signed_in(app, "operator-a")
    staff = f"/organisations/{world.a.organisation.id}/staff"
    audit = f"/organisations/{world.a.organisation.id}/audit"
    assert f'href="{staff}"' in operator.get("/").get_data(as_text=True)  # the navigation
    assert f'href="{audit}"' in operator.get(staff).get_data(as_text=True)
    programmes = operator.get(f"/organisations/{world.a.organisation.id}/programmes").get_data(as_text=True)
    assert f'href="{staff}"' in programmes and f'href="{audit}"' in programmes
    assert f'href="{staff}"' not in signed_in(app, "mentor-a").get("/").get_data(as_text=True)
