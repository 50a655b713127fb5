"""The ORM wall and the schema rules of tenant-owned tables, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import UniqueConstraint, select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, MemberInvitation
from hromada.modules.communities.models import Community, Enrolment
from hromada.tenancy import TenantViolation, is_tenant_owned
from hromada.testing.factories import build_world, make_user

# The walls themselves: each transaction starts from the settings PostgreSQL gives a new one, not from what
# a savepoint inherited.
pytestmark = pytest.mark.real_commits


def tenant_models():
    return [mapper.class_ for mapper in db.Model.registry.mappers if is_tenant_owned(mapper.class_)]


def test_every_tenant_owned_table_has_a_required_indexed_tenant_id_in_every_unique_constraint(app):
    problems = []
    for model in tenant_models():
        table = model.__table__
        column = table.c.get("tenant_id")
        if column is None or column.nullable:
            problems.append(f"{table.name}: tenant_id missing or nullable")
            continue
        if not any(index.columns.keys()[0] == "tenant_id" for index in table.indexes) and not column.index:
            problems.append(f"{table.name}: tenant_id not indexed")
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint) and "tenant_id" not in constraint.columns.keys():
                problems.append(f"{table.name}: unique {constraint.columns.keys()} lacks tenant_id")
        for column in table.columns:
            if column.unique and column.name != "tenant_id":
                problems.append(f"{table.name}: unique column {column.name} lacks tenant_id")
    assert problems == []


def test_every_table_with_a_tenant_id_is_declared_tenant_owned(app):
    # A table with tenant_id but without the mixin would escape both walls.
    declared = {model.__tablename__ for model in tenant_models()}
    with_column = {table.name for table in db.metadata.tables.values() if "tenant_id" in table.c}
    assert with_column - declared == set()



def test_queries_are_scoped_to_the_current_tenant(world):
    a, b = world.a.communities[0].id, world.b.communities[0].id
    tenancy.set_tenant(a)
    assert {m.tenant_id for m in db.session.scalars(select(CommunityMembership))} == {a}
    assert db.session.scalars(select(Community.id)).all() == [a]
    # Even an explicit filter on the other tenant's id finds nothing.
    assert db.session.scalars(select(CommunityMembership).where(CommunityMembership.tenant_id == b)).all() == []
    assert db.session.get(Community, b) is None


def test_no_context_sees_no_tenant_rows(world):
    tenancy.set_tenant(None)
    assert db.session.scalars(select(CommunityMembership)).all() == []
    assert db.session.scalars(select(Community)).all() == []
    assert db.session.scalars(select(Enrolment)).all() == []


def test_staff_read_only_the_communities_they_are_allowed(world):
    a1, a2 = (c.id for c in world.a.communities)
    tenancy.allow_reading({a2})
    assert db.session.scalars(select(Community.id)).all() == [a2]


def test_an_organisation_sees_only_its_own_enrolments(world):
    tenancy.set_organisation(world.a.organisation.id)
    organisations = {e.organisation_id for e in db.session.scalars(select(Enrolment))}
    assert organisations == {world.a.organisation.id}


def test_a_person_sees_their_own_memberships_and_no_one_elses(world):
    coordinator = world.a.people["coordinator"]
    tenancy.set_user(coordinator.id)
    rows = db.session.scalars(select(CommunityMembership)).all()
    assert [(row.user_id, row.tenant_id) for row in rows] == [(coordinator.id, world.a.communities[0].id)]


def test_new_rows_take_the_tenant_from_the_context(world):
    a = world.a.communities[0].id
    tenancy.set_tenant(a)
    invitation = MemberInvitation(token_hash="x" * 64, role=CommunityRole.MEMBER, invited_by_id=world.admin.id,
                                  expires_at=db.func.now())
    db.session.add(invitation)
    db.session.flush()
    assert invitation.tenant_id == a


def test_a_row_for_another_tenant_is_refused(world):
    a, b = world.a.communities[0].id, world.b.communities[0].id
    user = make_user("newcomer")
    tenancy.set_tenant(a)
    db.session.add(CommunityMembership(tenant_id=b, user_id=user.id, role=CommunityRole.MEMBER))
    with pytest.raises(TenantViolation):
        db.session.flush()
    db.session.rollback()


def test_a_row_never_moves_to_another_tenant(world):
    a, b = world.a.communities[0].id, world.b.communities[0].id
    tenancy.set_tenant(a)
    membership = db.session.scalars(select(CommunityMembership)).first()
    membership.tenant_id = b
    with pytest.raises(TenantViolation):
        db.session.flush()
    db.session.rollback()


def test_without_a_tenant_no_row_can_be_written(world):
    user = make_user("loner")
    tenancy.set_tenant(None)
    db.session.add(CommunityMembership(user_id=user.id, role=CommunityRole.MEMBER))
    with pytest.raises(TenantViolation):
        db.session.flush()
    db.session.rollback()


def test_signing_up_creates_a_community_that_only_its_coordinator_sees(app, client):
    from hromada.modules.communities.services import create_community_with_coordinator
    from hromada.testing.factories import PASSWORD, sign_in

    world = build_world()
    community, _ = create_community_with_coordinator(
        community_name="Quiet Garden secret-new", handle="Founder", password=PASSWORD
    )
    community_id = community.id
    db.session.commit()
    assert sign_in(client, "founder").status_code == 302
    assert "secret-new" in client.get(f"/communities/{community_id}").get_data(as_text=True)
    other = app.test_client()
    sign_in(other, "operator-a")
    assert other.get(f"/communities/{community_id}").status_code == 404
    assert world.a.organisation.id
