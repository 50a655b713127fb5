"""A programme starts as a draft that only its organisation's staff see; an operator publishes it (once it has a
stage), and may take it back to draft only while no community has applied or takes part. Its title,
description and call text come in each language it declares, or in its main language, marked as such.

Each test runs on SQLite and on PostgreSQL (as the application's role, under row-level security).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.audit.models import AuditEvent
from hromada.modules.programmes import admission
from hromada.modules.programmes.models import Application, Programme
from hromada.testing.factories import sign_in
from hromada.testing.fixtures import csrf_token


def post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def base(world) -> str:
    return f"/organisations/{world.a.organisation.id}/programmes"


def signed_in(app, handle: str):
    client = app.test_client()
    assert sign_in(client, handle).status_code == 302, handle
    return client


def new_programme(operator, world, *, stage: bool = True, **changes) -> int:
    """A programme made as an operator makes one: through its form (and a stage through the programme's page)."""
    data = {"title": "Riverbank Commons 2028", "description": "Gardens and yards along the river.",
            "languages": ["en", "uk"], "stall_days": "14", **changes}
    response = post(operator, f"{base(world)}/new", **data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.remove()
    programme_id = db.session.scalar(select(Programme.id).order_by(Programme.id.desc()).limit(1))
    if stage:
        added = post(operator, f"{base(world)}/{programme_id}/stages", stage_type="incubator", stage_count="0")
        assert added.status_code == 302
    return programme_id


def open_its_call(programme_id: int) -> None:
    with tenancy.system_scope():
        programme = db.session.get(Programme, programme_id)
        programme.call_open = True
        programme.call_text = "Yards of the left bank: apply before the frost."
        db.session.commit()
    db.session.remove()


def audit_actions() -> list[str]:
    with tenancy.system_scope():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def programme_of(programme_id: int) -> Programme:
    db.session.remove()
    with tenancy.system_scope():
        return db.session.get(Programme, programme_id)


def public_paths(world, programme_id: int) -> list[str]:
    return [f"/programmes/{programme_id}", f"/calls/{programme_id}",
            f"/communities/{world.a.communities[0].id}/calls/{programme_id}"]


# --- Drafts and publishing -----------------------------------------------------------------


def test_a_new_programme_is_a_draft_that_only_its_organisations_staff_see(app, world):
    operator = signed_in(app, "operator-a")
    programme_id = new_programme(operator, world)
    open_its_call(programme_id)
    assert programme_of(programme_id).published_at is None
    outsiders = {"anonymous": app.test_client(), **{handle: signed_in(app, handle)
                                                    for handle in ("coordinator-a", "member-a", "operator-b")}}
    for who, client in outsiders.items():
        for path in public_paths(world, programme_id)[:2]:
            assert client.get(path).status_code == 404, f"{who} {path}"
        for listing in ("/", "/calls"):
            assert "Riverbank Commons" not in client.get(listing).get_data(as_text=True), f"{who} {listing}"
    # Applying by posting the form anyway is refused too, as a new community and as an existing one.
    anonymous = outsiders["anonymous"]
    sign_up = anonymous.post(f"/calls/{programme_id}", data={
        "csrf_token": csrf_token(anonymous, "/calls"), "community_name": "Frost Yard", "handle": "frost-yard",
        "password": "a long and unusual passphrase", "confirm": "a long and unusual passphrase"})
    coordinator = outsiders["coordinator-a"]
    assert coordinator.get(public_paths(world, programme_id)[2]).status_code == 404  # its community's apply page
    assert "Riverbank Commons" not in coordinator.get(
        f"/communities/{world.a.communities[0].id}/applications").get_data(as_text=True)
    apply = post(coordinator, public_paths(world, programme_id)[2])
    assert sign_up.status_code == 404 and apply.status_code == 404
    with tenancy.system_scope():
        assert db.session.scalar(select(Application.id).where(Application.programme_id == programme_id)) is None
    # Its organisation's staff see it, marked as a draft: its operators and its mentors alike.
    for handle in ("operator-a", "mentor-a"):
        page = signed_in(app, handle).get(f"/programmes/{programme_id}")
        assert page.status_code == 200 and "draft-badge" in page.get_data(as_text=True), handle
    listing = operator.get(base(world)).get_data(as_text=True)
    assert re.search(r"Riverbank Commons 2028</a> <span class=\"draft-badge\">", listing)
    # Published: public, on the home page with links to its page and its open call, and open to applications.
    assert post(operator, f"{base(world)}/{programme_id}/publish").status_code == 302
    assert programme_of(programme_id).published_at is not None and "programme_published" in audit_actions()
    home = anonymous.get("/").get_data(as_text=True)
    assert f'href="/programmes/{programme_id}"' in home and f'href="/calls/{programme_id}"' in home
    for path in public_paths(world, programme_id):
        page = coordinator.get(path)
        assert page.status_code == 200 and "draft-badge" not in page.get_data(as_text=True), path
    assert "Riverbank Commons" in anonymous.get("/calls").get_data(as_text=True)


def test_publishing_a_programme_without_a_stage_is_refused_with_the_reason(app, world):
    operator = signed_in(app, "operator-a")
    programme_id = new_programme(operator, world, stage=False)
    refused = post(operator, f"{base(world)}/{programme_id}/publish")
    assert refused.status_code == 409
    assert "Add a stage before publishing" in refused.get_data(as_text=True)
    assert programme_of(programme_id).published_at is None and "programme_published" not in audit_actions()
    assert app.test_client().get(f"/programmes/{programme_id}").status_code == 404


def test_a_programme_returns_to_draft_only_while_no_community_applied_or_takes_part(app, world):
    operator = signed_in(app, "operator-a")
    # Side A's programme has communities in it: it stays published, and says why.
    refused = post(operator, f"{base(world)}/{world.a.programme.id}/return-to-draft")
    assert refused.status_code == 409 and "it stays published" in refused.get_data(as_text=True)
    assert programme_of(world.a.programme.id).published_at is not None
    assert "Return to draft" not in operator.get(f"{base(world)}/{world.a.programme.id}").get_data(as_text=True)
    # A new one nobody applied to yet goes back, and is hidden again.
    programme_id = new_programme(operator, world)
    assert post(operator, f"{base(world)}/{programme_id}/publish").status_code == 302
    assert "Return to draft" in operator.get(f"{base(world)}/{programme_id}").get_data(as_text=True)
    assert post(operator, f"{base(world)}/{programme_id}/return-to-draft").status_code == 302
    assert programme_of(programme_id).published_at is None
    assert audit_actions()[-1] == "programme_returned_to_draft"
    assert app.test_client().get(f"/programmes/{programme_id}").status_code == 404


def test_an_application_to_a_programme_returned_to_draft_meanwhile_is_refused(app, world):
    """The page was shown while the programme was public; the application arrives after it went back to draft."""
    with tenancy.system_scope():
        programme = db.session.get(Programme, world.b.programme.id)
        programme.published_at = None
        db.session.commit()
    db.session.remove()
    community_id, programme_id = world.a.communities[0].id, world.b.programme.id
    with app.test_request_context(), tenancy.scope(tenant_id=community_id):
        programme = db.session.get(Programme, programme_id)
        with pytest.raises(admission.NotPublic):
            admission.submit_application(community_id, programme, {}, world.a.people["coordinator"])
    with tenancy.system_scope():
        assert db.session.scalar(select(Application.id).where(Application.programme_id == programme_id)) is None


# --- Texts in every declared language ------------------------------------------------------


def read_in(client, language: str) -> None:
    assert post(client, "/language", language=language).status_code == 302


def test_readers_see_the_programme_in_their_language_or_its_main_text_marked(app, world):
    operator = signed_in(app, "operator-a")
    programme_id = new_programme(operator, world)  # in English (the operator's language) and Ukrainian
    assert programme_of(programme_id).language == "en"
    open_its_call(programme_id)
    texts = f"{base(world)}/{programme_id}/texts"
    form = operator.get(texts).get_data(as_text=True)
    assert 'name="title_uk"' in form and 'name="title_en"' not in form and 'lang="uk"' in form
    saved = post(operator, texts, title_uk="Спільне надбережжя 2028", description_uk="Сади й подвір'я вздовж річки.",
                 call_text_uk="")
    assert saved.status_code == 302 and "programme_texts_changed" in audit_actions()
    assert post(operator, f"{base(world)}/{programme_id}/publish").status_code == 302

    reader = app.test_client()
    english = reader.get(f"/calls/{programme_id}").get_data(as_text=True)
    assert "Riverbank Commons 2028" in english and "fallback-note" not in english
    read_in(reader, "uk")
    for path in (f"/calls/{programme_id}", f"/programmes/{programme_id}", "/"):
        page = reader.get(path).get_data(as_text=True)
        assert "Спільне надбережжя 2028" in page and "Riverbank Commons" not in page, path
        assert "Сади й подвір" in page, path
    call = reader.get(f"/calls/{programme_id}").get_data(as_text=True)
    # The call text has no Ukrainian version: the English one, in its language and marked as such.
    assert re.search(r'<div class="call-text plain-text" lang="en">Yards of the left bank', call)
    assert 'class="muted fallback-note"' in call
    # A language the programme does not declare: every text in English, each marked.
    read_in(reader, "be")
    page = reader.get(f"/programmes/{programme_id}").get_data(as_text=True)
    assert re.search(r'<span lang="en">Riverbank Commons 2028</span> <span class="muted fallback-note">', page)
    assert page.count('class="muted fallback-note"') == 2  # the title and the description


def test_a_language_the_programme_no_longer_declares_takes_its_texts_with_it(app, world):
    operator = signed_in(app, "operator-a")
    programme_id = new_programme(operator, world, languages=["en", "uk", "be"])
    texts = f"{base(world)}/{programme_id}/texts"
    assert post(operator, texts, title_uk="Спільне надбережжя", title_be="Агульны бераг").status_code == 302
    assert set(programme_of(programme_id).translations) == {"uk", "be"}
    edited = post(operator, f"{base(world)}/{programme_id}/edit", title="Riverbank Commons 2028",
                  languages=["en", "uk"], stall_days="14")
    assert edited.status_code == 302
    assert programme_of(programme_id).translations == {"uk": {"title": "Спільне надбережжя"}}
    assert 'name="title_be"' not in operator.get(texts).get_data(as_text=True)


@pytest.mark.real_commits  # two threads, each with a transaction of its own
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_an_application_sent_while_the_programme_returns_to_draft_keeps_it_published(app, world, monkeypatch):
    """A community's application is being saved when the operator returns the programme to draft: the operator's
    request waits for the application's lock on the programme, then finds the application and refuses."""
    import threading

    from hromada.clock import now
    from hromada.modules.programmes import operations
    from hromada.modules.programmes.models import Stage

    with tenancy.system_scope():
        programme = Programme(organisation_id=world.a.organisation.id, slug="lonely", title="Lonely Yards",
                              published_at=now(), call_open=True)
        db.session.add(programme)
        db.session.flush()
        db.session.add(Stage(programme_id=programme.id, position=0, stage_type="incubator"))
        db.session.commit()
        programme_id = programme.id
    db.session.remove()
    community_id = world.b.communities[1].id
    inserted, release = threading.Event(), threading.Event()
    real_insert = admission.added_in_savepoint

    def holding(row):
        added = real_insert(row)
        inserted.set()
        release.wait(10)
        return added

    monkeypatch.setattr(admission, "added_in_savepoint", holding)
    results: dict[str, object] = {}

    def run(name: str, work) -> None:
        with app.test_request_context():
            try:
                results[name] = work()
            except operations.Unchanged as unchanged:
                results[name] = str(unchanged.message)
            except Exception as exc:  # reported by the assertion below, not lost in the thread
                results[name] = exc
            finally:
                db.session.remove()

    def apply():
        tenancy.set_tenant(community_id)
        admission.submit_application(community_id, db.session.get(Programme, programme_id), {},
                                     world.b.people["coordinator"])
        return "applied"

    def return_to_draft():
        tenancy.set_organisation(world.a.organisation.id)
        operations.return_to_draft(db.session.get(Programme, programme_id), world.a.people["operator"])
        return "draft"

    applying = threading.Thread(target=run, args=("apply", apply))
    applying.start()
    assert inserted.wait(10)
    drafting = threading.Thread(target=run, args=("draft", return_to_draft))
    drafting.start()
    drafting.join(0.5)
    assert drafting.is_alive(), "returning to draft did not wait for the application's lock on the programme"
    release.set()
    applying.join(10)
    drafting.join(10)
    assert results == {"apply": "applied",
                       "draft": "Communities have applied to this programme or take part in it: it stays published."}
    assert programme_of(programme_id).published_at is not None


def test_a_communitys_own_pages_name_its_programme_in_the_readers_language(app, world):
    with tenancy.system_scope():
        programme = db.session.get(Programme, world.a.programme.id)
        programme.languages, programme.language = ["en", "uk"], "en"
        programme.translations = {"uk": {"title": "Програма А українською"}}
        db.session.commit()
    db.session.remove()
    coordinator = signed_in(app, "coordinator-a")
    read_in(coordinator, "uk")
    community_id = world.a.communities[0].id
    for path in (f"/communities/{community_id}/courses",):
        page = coordinator.get(path)
        assert page.status_code == 200, path
        assert "Програма А українською" in page.get_data(as_text=True), path
