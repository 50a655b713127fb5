"""The database wall: PostgreSQL row-level security, tested as the application's own role.

These tests connect as the role the web app and the workers use in production:
it owns no table and is neither superuser nor BYPASSRLS, so the policies apply.
"""

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from hromada import create_app, tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, User, UserSession
from hromada.modules.accounts.sessions import load_user
from hromada.tokens import token_hash
from hromada.modules.communities.models import Community
from hromada.tenancy import is_tenant_owned
from hromada.testing.factories import build_world, make_user
from hromada.testing.fixtures import FIRST_PARTY_PLUGINS

# What a transaction-local setting (`set_config(..., true)`) allows lasts until the outer transaction
# ends: these tests commit for real, so that each transaction starts from what the policies see.
pytestmark = pytest.mark.real_commits


@pytest.fixture
def pg_app(postgres_owner_database, tmp_path, monkeypatch):
    """An app on PostgreSQL as the application role, with a pool of a single connection."""
    from hromada.testing.fixtures import _empty_postgres_tables

    owner_url, app_url = postgres_owner_database
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path))
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": app_url,
        "SECRET_KEY": "test",
        "HROMADA_PLUGINS": FIRST_PARTY_PLUGINS,
        "HROMADA_PASSWORD_PROFILE": "fast",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0},
    })
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    _empty_postgres_tables(owner_url)


@pytest.fixture
def two_tenants(pg_app):
    world = build_world()
    return world.a.communities[0].id, world.b.communities[0].id


def member_ids():
    return {row.tenant_id for row in db.session.scalars(select(CommunityMembership))}


def raw_member_tenants():
    return {row[0] for row in db.session.execute(text("SELECT tenant_id FROM community_memberships"))}


def test_the_application_role_is_neither_superuser_nor_bypassrls_nor_owner(pg_app):
    row = db.session.execute(
        text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    ).one()
    assert row == (False, False)
    owned = db.session.scalar(
        text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
    )
    assert owned == 0


def test_every_tenant_owned_table_has_forced_row_level_security(pg_app):
    tables = {mapper.class_.__tablename__ for mapper in db.Model.registry.mappers if is_tenant_owned(mapper.class_)}
    tables.add("communities")
    rows = db.session.execute(
        text("SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY(:names)"),
        {"names": sorted(tables)},
    ).all()
    assert {name for name, *_ in rows} == tables
    assert [name for name, enabled, forced in rows if not (enabled and forced)] == []


def test_a_tenant_sees_only_its_own_rows_through_the_orm_and_raw_sql(two_tenants):
    a, b = two_tenants
    tenancy.set_tenant(a)
    assert member_ids() == {a}
    assert raw_member_tenants() == {a}
    assert db.session.scalars(select(Community.id)).all() == [a]
    db.session.commit()
    tenancy.set_tenant(b)
    assert member_ids() == {b}
    assert raw_member_tenants() == {b}


def test_without_a_tenant_nothing_is_visible(two_tenants):
    tenancy.set_tenant(None)
    assert member_ids() == set()
    assert raw_member_tenants() == set()
    assert db.session.execute(text("SELECT count(*) FROM communities")).scalar() == 0


def test_raw_sql_cannot_insert_into_another_tenant(two_tenants):
    a, b = two_tenants
    user = make_user("someone")
    db.session.commit()
    tenancy.set_tenant(a)
    with pytest.raises(DBAPIError, match="row-level security"):
        db.session.execute(
            text("INSERT INTO community_memberships (tenant_id, user_id, role, created_at) "
                 "VALUES (:tenant, :user, 'member', now())"),
            {"tenant": b, "user": user.id},
        )
    db.session.rollback()


def test_raw_sql_cannot_move_or_change_another_tenants_rows(two_tenants):
    a, b = two_tenants
    tenancy.set_tenant(a)
    # B's rows are invisible, so an UPDATE finds nothing to change...
    changed = db.session.execute(
        text("UPDATE community_memberships SET role = 'coordinator' WHERE tenant_id = :b"), {"b": b}
    ).rowcount
    assert changed == 0
    # ...and moving A's own rows into B is refused by the WITH CHECK clause.
    with pytest.raises(DBAPIError, match="row-level security"):
        db.session.execute(text("UPDATE community_memberships SET tenant_id = :b WHERE tenant_id = :a"), {"a": a, "b": b})
    db.session.rollback()
    tenancy.set_tenant(b)
    roles = {row.role for row in db.session.scalars(select(CommunityMembership))}
    assert roles == {CommunityRole.COORDINATOR, CommunityRole.MEMBER}


def test_one_pooled_connection_alternating_tenants_never_sees_the_other(two_tenants):
    a, b = two_tenants
    for _ in range(5):
        for tenant in (a, b):
            tenancy.set_tenant(tenant)
            assert raw_member_tenants() == {tenant}
            db.session.commit()
            # After the transaction the setting is gone, even on the same connection.
            tenancy.set_tenant(None)
            assert raw_member_tenants() == set()
            db.session.commit()
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
    db.session.commit()
    assert db.session.execute(text("SELECT pg_backend_pid()")).scalar() == pid  # the pool really has one connection


def test_a_setting_left_on_a_connection_reads_as_empty_in_the_next_transaction(pg_app, postgres_owner_database):
    # What NULLIF guards against: a transaction-local setting reads as '' afterwards, not as NULL.
    engine = create_engine(postgres_owner_database[1], pool_size=1, max_overflow=0)
    with engine.connect() as connection:
        with connection.begin():
            connection.execute(text("SELECT set_config('app.current_tenant', '7', true)"))
        with connection.begin():
            assert connection.execute(text("SELECT current_setting('app.current_tenant', true)")).scalar() == ""
    engine.dispose()


def test_the_audit_log_refuses_changes(pg_app):
    from hromada.modules.audit.log import record

    record("sign_in", commit=True)
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_events"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE audit_events SET action = 'nothing'"))
    db.session.rollback()


def test_staff_readers_see_exactly_the_communities_they_may_read(two_tenants):
    a, b = two_tenants
    for readers, expected in ((frozenset({a}), {a}), (frozenset({a, b}), {a, b}), (frozenset(), set())):
        with tenancy.scope(reader_tenants=readers):
            assert raw_member_tenants() == expected
            assert set(db.session.execute(text("SELECT id FROM communities")).scalars()) == expected
            db.session.commit()


def test_policies_read_each_setting_once_per_statement_not_per_row(two_tenants):
    # A per-row current_setting() made a staff page over 200,000 attendance rows take 7.5 s instead of 0.5 s.
    a, _ = two_tenants
    tenancy.set_tenant(a)
    for table in ("community_memberships", "enrolments", "communities"):
        plan = db.session.execute(text(f"EXPLAIN SELECT * FROM {table}")).scalars().all()
        # The signature check reads the settings inside its own InitPlan, once per statement (over the keys).
        filters = [line for line in plan if "Filter:" in line and "hmac(" not in line]
        assert filters, plan
        assert not [line for line in filters if "current_setting" in line], plan
    db.session.rollback()


def test_a_context_changed_back_and_forth_in_one_transaction_applies_every_time(two_tenants):
    # Each context is set once per transaction (what is already in force is not set again): never one too few.
    a, b = two_tenants
    for tenant in (a, b, a, None, b):
        tenancy.set_tenant(tenant)
        assert raw_member_tenants() == ({tenant} if tenant else set())
    with tenancy.scope(tenant_id=a):
        assert raw_member_tenants() == {a}
    assert raw_member_tenants() == {b}
    db.session.commit()
    assert raw_member_tenants() == {b}  # a new transaction starts empty and takes the context again
    db.session.rollback()


def a_session_token(user) -> str:
    token = f"token-of-{user.handle}"
    moment = datetime.now(timezone.utc)
    db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id, created_at=moment, last_seen_at=moment))
    db.session.commit()
    return token


def database_user() -> str:
    return db.session.execute(text("SELECT current_setting('app.current_user', true)")).scalar()


def test_finding_the_signed_in_person_lets_the_database_show_them_their_memberships(two_tenants):
    a, _ = two_tenants
    member = db.session.scalar(select(User).where(User.handle == "member-a"))
    token = a_session_token(member)
    assert tenancy.current() == tenancy.EMPTY
    assert load_user(token).id == member.id
    # The statement that found the session set the user as it ran: no other statement sets it.
    assert database_user() == str(member.id)
    assert raw_member_tenants() == {a}
    db.session.rollback()


def test_a_person_refused_at_sign_in_leaves_no_user_in_the_database(two_tenants):
    member = db.session.scalar(select(User).where(User.handle == "member-a"))
    token = a_session_token(member)
    with tenancy.system_scope():  # closing an account is system work (core0012)
        member.is_active = False
        db.session.commit()
    assert load_user(token) is None
    assert database_user() == ""  # the user the statement had set is taken back at once
    assert raw_member_tenants() == set()
    db.session.rollback()


# --- SQL an attacker slips in (hromada.tenancy.signing) ------------------------------------------------


@pytest.mark.parametrize("injected", [
    "SELECT set_config('app.system', 'on', true)",
    "SELECT set_config('app.current_tenant', '{b}', true)",
    "SELECT set_config('app.reader_tenants', '{b}', true)",
    "SELECT set_config('app.current_organisation', '{b}', true)",
    "SELECT set_config('app.context_signature', 'a guess', true)",
])
def test_injected_sql_cannot_widen_the_context_it_runs_in(two_tenants, injected):
    a, b = two_tenants
    tenancy.set_tenant(a)
    assert raw_member_tenants() == {a}
    db.session.execute(text(injected.format(b=b)))
    # A changed setting no longer matches the app's signature: the policies show nothing at all.
    assert raw_member_tenants() == set()
    assert db.session.execute(text("SELECT count(*) FROM communities")).scalar() == 0
    with pytest.raises(DBAPIError):  # and accept nothing
        db.session.execute(text("INSERT INTO member_invitations (tenant_id, token_hash, role, expires_at, created_at)"
                                " VALUES (:b, 'x', 'MEMBER', now(), now())"), {"b": b})
    db.session.rollback()
    assert raw_member_tenants() == {a}  # the next transaction is signed again by the app


def test_a_signature_copied_to_another_connection_opens_nothing(two_tenants, postgres_owner_database):
    a, b = two_tenants
    tenancy.set_tenant(b)
    settings = dict(db.session.execute(text(
        "SELECT name, current_setting(name, true) FROM unnest(ARRAY['app.current_tenant', 'app.reader_tenants',"
        " 'app.current_organisation', 'app.current_user', 'app.system', 'app.platform_admin', 'app.credential_user',"
        " 'app.context_signature']) AS name"
    )).all())
    assert raw_member_tenants() == {b}
    db.session.rollback()
    engine = create_engine(postgres_owner_database[1], pool_size=1, max_overflow=0)
    with engine.connect() as connection, connection.begin():
        for name, value in settings.items():
            connection.execute(text("SELECT set_config(:name, :value, true)"), {"name": name, "value": value})
        assert connection.execute(text("SELECT tenant_id FROM community_memberships")).all() == []
    engine.dispose()


def test_the_context_keys_are_out_of_the_application_roles_reach(pg_app):
    with pytest.raises(DBAPIError, match="permission denied"):
        db.session.execute(text("SELECT key FROM hromada_private.context_keys"))
    db.session.rollback()


def test_an_app_whose_context_key_the_database_does_not_know_stops_with_the_remedy(pg_app, postgres_owner_database,
                                                                                     tmp_path, monkeypatch):
    from hromada.tenancy.signing import ContextKeyUnknown

    monkeypatch.setenv("HROMADA_CONTEXT_KEY", "a key this database was never given")
    stranger = create_app({"SQLALCHEMY_DATABASE_URI": postgres_owner_database[1], "SECRET_KEY": "other",
                           "HROMADA_PLUGINS": FIRST_PARTY_PLUGINS})
    with stranger.app_context():
        with pytest.raises(ContextKeyUnknown, match="db upgrade heads"):
            db.session.execute(text("SELECT 1"))
        db.session.remove()
        db.engine.dispose()


# --- What injected SQL cannot read or change even within a request's own context (migration core0009) ----


def signed_in_context(world, role: str = "member", side: str = "a") -> User:
    """What a signed-in request of `role` works in: its person, and its community or organisation."""
    person = getattr(world, side).people[role]
    tenancy.set_user(person.id)
    if role in ("coordinator", "member"):
        tenancy.set_tenant(getattr(world, side).communities[0].id)
    else:
        tenancy.set_organisation(getattr(world, side).organisation.id)
    return person


@pytest.fixture
def world(pg_app):
    return build_world()


def test_injected_sql_reads_no_password_hash(world):
    signed_in_context(world)
    hashes = db.session.execute(text("SELECT password_hash FROM users")).scalars().all()
    assert len(hashes) == 13 and set(hashes) == {""}  # the column is always empty on PostgreSQL
    # The function that hands hashes out gives none to a context that names nobody's credential...
    assert set(db.session.execute(text("SELECT hromada_password_hash(id) FROM users")).scalars()) == {None}
    # ...and a context that names one through injected SQL is no longer signed.
    admin_id = world.admin.id
    db.session.execute(text("SELECT set_config('app.credential_user', :id, true)"), {"id": str(admin_id)})
    assert db.session.execute(text("SELECT hromada_password_hash(:id)"), {"id": admin_id}).scalar() is None
    db.session.rollback()
    with pytest.raises(DBAPIError, match="permission denied"):
        db.session.execute(text("SELECT hash FROM hromada_private.password_hashes"))
    db.session.rollback()


def test_the_app_reads_the_hash_of_exactly_the_person_it_checks(world):
    from hromada.modules.accounts.passwords import stored_hash, verify_password
    from hromada.testing.factories import PASSWORD

    member, other = world.a.people["member"], world.b.people["member"]
    assert verify_password(stored_hash(member), PASSWORD)
    assert tenancy.current() == tenancy.EMPTY  # named for that one statement only
    with tenancy.scope(credential_user=member.id):
        assert db.session.execute(text("SELECT hromada_password_hash(:id)"), {"id": other.id}).scalar() is None
    db.session.rollback()


@pytest.mark.parametrize("injected", [
    "UPDATE users SET password_hash = 'known' WHERE id = :admin",
    "UPDATE users SET is_platform_admin = true WHERE id = :me",
    "INSERT INTO users (handle, display_name, password_hash, is_platform_admin, is_active)"
    " VALUES ('intruder', '', 'known', true, true)",
    "INSERT INTO users (id, handle, display_name, password_hash, is_platform_admin, is_active)"
    " VALUES (:admin, 'intruder', '', 'known', false, true) ON CONFLICT (id) DO NOTHING",
])
def test_injected_sql_cannot_set_a_password_or_make_a_platform_admin(world, injected):
    me = signed_in_context(world)
    try:
        changed = db.session.execute(text(injected), {"admin": world.admin.id, "me": me.id}).rowcount
    except DBAPIError as error:
        assert re.search("platform admin|password|exists already", str(error))
    else:
        assert changed == 0  # another person's row is not there to change (core0012)
    db.session.rollback()


def test_a_person_sets_their_own_password_and_their_row_stays_readable(world):
    from hromada.modules.accounts.passwords import hash_password, store_hash, stored_hash, verify_password

    member = signed_in_context(world)
    assert db.session.execute(text("SELECT handle FROM users WHERE id = :id"), {"id": member.id}).scalar() == "member-a"
    store_hash(member, hash_password("a new and long passphrase"))
    db.session.commit()
    assert verify_password(stored_hash(member), "a new and long passphrase")
    db.session.rollback()


def audit_organisations() -> set:
    return set(db.session.execute(text("SELECT organisation_id FROM audit_events")).scalars())


def notification_owners() -> set:
    return set(db.session.execute(text("SELECT user_id FROM notifications")).scalars())


@pytest.fixture
def audited_and_notified(world):
    from hromada.modules.audit.log import record
    from hromada.modules.notifications.service import notify

    with tenancy.system_scope():
        for side in (world.a, world.b):
            record("probe", organisation_id=side.organisation.id)
            notify([person.id for person in side.people.values()], key="probe", message="Probe")
        record("probe")  # the platform's own: no organisation
    return world  # in the open transaction: the world's objects stay loaded


def test_an_organisation_reads_its_own_audit_entries_and_no_other(audited_and_notified):
    world = audited_and_notified
    signed_in_context(world, "operator")
    assert audit_organisations() == {world.a.organisation.id}
    db.session.execute(text("SELECT set_config('app.current_organisation', :b, true)"),
                       {"b": str(world.b.organisation.id)})
    assert audit_organisations() == set()
    db.session.rollback()


@pytest.mark.parametrize("injected", [
    "SELECT set_config('app.platform_admin', 'on', true)",
    "SELECT set_config('app.system', 'on', true)",
])
def test_a_community_reads_no_audit_entry_and_cannot_claim_the_platform_admins_view(audited_and_notified, injected):
    signed_in_context(audited_and_notified, "coordinator")
    assert audit_organisations() == set()
    db.session.execute(text(injected))
    assert audit_organisations() == set()
    db.session.rollback()


def test_the_platform_admins_signed_flag_reads_the_whole_audit_log(audited_and_notified):
    world = audited_and_notified
    tenancy.set_user(world.admin.id)
    assert audit_organisations() == set()  # the admin's ordinary requests do not read it
    tenancy.act_as_platform_admin()
    assert audit_organisations() == {world.a.organisation.id, world.b.organisation.id, None}
    db.session.rollback()


def test_a_person_reads_their_own_notifications_only(audited_and_notified):
    world = audited_and_notified
    member = signed_in_context(world)
    assert notification_owners() == {member.id}
    assert db.session.execute(text("UPDATE notifications SET read_at = now() WHERE user_id <> :me"),
                              {"me": member.id}).rowcount == 0
    assert db.session.execute(text("DELETE FROM notifications WHERE user_id <> :me"), {"me": member.id}).rowcount == 0
    with tenancy.scope(user_id=None, tenant_id=None):
        assert notification_owners() == set()  # nobody signed in: nobody's
    db.session.execute(text("SELECT set_config('app.current_user', :id, true)"), {"id": str(world.b.people["member"].id)})
    assert notification_owners() == set()
    db.session.rollback()


# --- Second factors (migration fac0001) --------------------------------------------------------------


def factor_owners() -> set:
    return set(db.session.execute(text("SELECT user_id FROM second_factors")).scalars())


def test_a_person_reads_their_own_second_factors_only_and_no_secret_in_clear(world):
    from hromada.modules.factors.published import DEMO_TOTP_SECRET

    operator = signed_in_context(world, "operator")
    rows = db.session.execute(text("SELECT user_id, secret_sealed FROM second_factors")).all()
    assert {row.user_id for row in rows} == {operator.id}
    assert DEMO_TOTP_SECRET.encode() not in bytes(rows[0].secret_sealed)
    assert db.session.execute(text("UPDATE second_factors SET last_step = NULL WHERE user_id <> :me"),
                              {"me": operator.id}).rowcount == 0
    assert db.session.execute(text("DELETE FROM recovery_codes WHERE user_id <> :me"), {"me": operator.id}).rowcount == 0
    db.session.execute(text("SELECT set_config('app.current_user', :id, true)"), {"id": str(world.b.people["operator"].id)})
    assert factor_owners() == set()  # claiming another person unsigns the context
    db.session.rollback()
    with tenancy.scope(user_id=None, organisation_id=None, credential_user=world.b.people["mentor"].id):
        assert factor_owners() == {world.b.people["mentor"].id}  # the sign-in check of exactly that person
    db.session.rollback()


def test_only_their_operator_resets_a_staff_members_factors_in_the_database(world):
    mentor_id = world.a.people["mentor"].id
    people = {(role, side): getattr(world, side).people[role].id
              for role, side in (("operator", "b"), ("expert", "a"), ("coordinator", "a"), ("operator", "a"))}
    places = {"a": (world.a.organisation.id, world.a.communities[0].id), "b": (world.b.organisation.id, None)}
    reset = text("SELECT hromada_reset_second_factors(:person)")

    def act_as(role, side):
        organisation_id, community_id = places[side]
        tenancy.set_user(people[(role, side)])
        tenancy.set_tenant(community_id if role == "coordinator" else None)
        tenancy.set_organisation(None if role == "coordinator" else organisation_id)

    # Another organisation's operator, a colleague, a community's coordinator: refused.
    for role, side in (("operator", "b"), ("expert", "a"), ("coordinator", "a")):
        act_as(role, side)
        with pytest.raises(DBAPIError, match="only an operator or a coordinator"):
            db.session.execute(reset, {"person": mentor_id})
        db.session.rollback()
    act_as("operator", "a")
    assert db.session.execute(reset, {"person": mentor_id}).scalar() == 1
    db.session.commit()
    with tenancy.scope(user_id=None, organisation_id=None, credential_user=mentor_id):
        assert factor_owners() == set()
    db.session.rollback()


# --- Writes to `users` and reset links (migration core0012) ---------------------------------------------


@pytest.mark.parametrize("injected", [
    "UPDATE users SET handle = 'taken-over', email = 'attacker@example.org' WHERE id <> :me",
    "UPDATE users SET is_active = false WHERE id = :other",
    "DELETE FROM users WHERE id <> :me",
    "DELETE FROM users WHERE id = :other",
])
def test_injected_sql_cannot_change_or_delete_another_persons_row(world, injected):
    me = signed_in_context(world)
    other = world.b.people["member"].id
    handles = dict(db.session.execute(text("SELECT id, handle FROM users")).all())
    # Refused row by row: the rows of others are not there to change.
    assert db.session.execute(text(injected), {"me": me.id, "other": other}).rowcount == 0
    db.session.commit()
    assert dict(db.session.execute(text("SELECT id, handle FROM users")).all()) == handles
    assert db.session.execute(text("SELECT is_active FROM users WHERE id = :other"), {"other": other}).scalar()
    db.session.rollback()


def test_a_person_changes_their_own_row_and_a_reset_link_the_row_it_names(world):
    me = signed_in_context(world)
    assert db.session.execute(text("UPDATE users SET display_name = 'Me' WHERE id = :me"), {"me": me.id}).rowcount == 1
    db.session.commit()
    tenancy.set_user(None)
    tenancy.set_tenant(None)
    with tenancy.scope(credential_user=me.id):  # the person whose password a reset link sets
        assert db.session.execute(text("UPDATE users SET language = 'uk' WHERE id <> 0")).rowcount == 1
    db.session.rollback()


def test_injected_sql_cannot_delete_an_account_without_the_password_checked(world):
    me = signed_in_context(world)
    with pytest.raises(DBAPIError, match="whose password was checked"):
        db.session.execute(text("UPDATE users SET deleted_at = now(), is_active = false WHERE id = :me"), {"me": me.id})
    db.session.rollback()


def test_injected_sql_cannot_plant_a_reset_link_for_someone_else(world):
    """A link whose token the attacker knows would hand them the account: only the person's operator or
    coordinator, in that signed context, makes one."""
    victim = world.a.people["operator"].id
    organisation_a = world.a.organisation.id
    plant = text("INSERT INTO password_resets (token_hash, user_id, issued_by_id, expires_at, created_at)"
                 " VALUES ('known', :victim, :me, now() + interval '1 day', now())")
    places = {"a": (world.a.organisation.id, world.a.communities[0].id), "b": (world.b.organisation.id, None)}
    people = {(role, side): getattr(world, side).people[role].id
              for role, side in (("member", "a"), ("coordinator", "a"), ("mentor", "a"), ("operator", "b"))}
    for (role, side), person in people.items():
        organisation_id, community_id = places[side]
        tenancy.set_user(person)
        tenancy.set_tenant(community_id if role in ("member", "coordinator") else None)
        tenancy.set_organisation(None if role in ("member", "coordinator") else organisation_id)
        with pytest.raises(DBAPIError, match="row-level security"):
            db.session.execute(plant, {"victim": victim, "me": person})
        db.session.rollback()
    tenancy.set_tenant(None)
    # The victim's colleague, an operator too, may: issued in the organisation's signed context.
    colleague = make_user("operator-a2", second_factor=True)
    from hromada.modules.accounts.models import StaffMembership, StaffRole

    db.session.add(StaffMembership(organisation_id=organisation_a, user_id=colleague.id, role=StaffRole.OPERATOR))
    db.session.commit()
    tenancy.set_user(colleague.id)
    tenancy.set_organisation(organisation_a)
    db.session.execute(plant, {"victim": victim, "me": colleague.id})
    db.session.commit()
    # Whoever holds it may only spend it: nothing else of it changes.
    tenancy.set_user(None)
    tenancy.set_organisation(None)
    with pytest.raises(DBAPIError, match="only ever marked used"):
        db.session.execute(text("UPDATE password_resets SET expires_at = now() + interval '1 year'"))
    db.session.rollback()


def test_injected_sql_cannot_forge_an_organisations_audit_entries(world):
    """An organisation reads its log to learn what happened: an entry about it comes only from a context that
    works with it. A failed sign-in, about no organisation, is appended from the empty context as before."""
    forge = text("INSERT INTO audit_events (action, actor_id, organisation_id, details)"
                 " VALUES ('staff_assigned', :actor, :organisation, '{}')")
    organisation_a, organisation_b = world.a.organisation.id, world.b.organisation.id
    member, mentor = world.a.people["member"].id, world.a.people["mentor"].id
    community_a = world.a.communities[0].id
    for user_id, tenant_id, organisation_id, target in (
        (None, None, None, organisation_a),  # an anonymous request
        (member, community_a, None, organisation_b),  # a community of another organisation's programme
        (mentor, None, organisation_a, organisation_b),  # another organisation's staff
    ):
        tenancy.set_user(user_id)
        tenancy.set_tenant(tenant_id)
        tenancy.set_organisation(organisation_id)
        with pytest.raises(DBAPIError, match="row-level security"):
            db.session.execute(forge, {"actor": user_id, "organisation": target})
        db.session.rollback()
    # Who works with the organisation appends: its staff, a community in its programme; anyone, about none.
    for user_id, tenant_id, organisation_id in ((mentor, None, organisation_a), (member, community_a, None)):
        tenancy.set_user(user_id)
        tenancy.set_tenant(tenant_id)
        tenancy.set_organisation(organisation_id)
        db.session.execute(forge, {"actor": user_id, "organisation": organisation_a})
        db.session.commit()
    tenancy.set_user(None)
    tenancy.set_tenant(None)
    tenancy.set_organisation(None)
    db.session.execute(forge, {"actor": None, "organisation": None})
    db.session.commit()
