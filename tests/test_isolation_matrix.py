"""Every route, as every role, with the ids of what that role must not reach.

The routes are read from `app.url_map`, so a route added later (by the core or
a plugin) is exercised without touching this file; a route whose URL takes an
argument this file does not know how to fill makes the test fail until it is
taught here.
"""

import pytest

from hromada.extensions import db
from hromada.testing.factories import ROLES, sign_in
from hromada.testing.fixtures import csrf_token

# The database wall checked with each role's own transactions: a setting made with `set_config(..., true)`
# would outlive a savepoint and hide what each request's context allows.
pytestmark = pytest.mark.real_commits

ALL_ROLES = ("admin", *ROLES)

# Routes the matrix cannot exercise, with the reason. Keep it short.
NOT_EXERCISED = {
    "static": "files of the site's own stylesheet and icon; no data",
}


def secrets_of(side) -> list[str]:
    """Strings that only the people of `side` may ever see."""
    return [f"secret-{side.organisation.slug[-1]}{n}" for n in (1, 2)] + [
        f"{role}-{side.organisation.slug[-1]}" for role in ("coordinator", "member")
    ]



def clients_by_role(app, world):
    clients = {}
    for role in ALL_ROLES:
        client = app.test_client()
        assert sign_in(client, handle_of(role)).status_code == 302, role
        clients[role] = client
    return clients


def module_arguments(app, world) -> tuple[dict, dict]:
    """URL arguments that modules and plugins fill with their own objects.

    Each module or plugin whose routes take ids of its objects implements
    `hromada_isolation_arguments(world, arguments)`: it creates its objects in the
    world and adds `{arg: id on side B}` to `arguments["foreign"]` and
    `{arg: id in A's second community}` to `arguments["unreachable"]`.
    """
    arguments = {"foreign": {}, "unreachable": {}}
    app.extensions["hromada.plugins"].hook.hromada_isolation_arguments(world=world, arguments=arguments)
    db.session.remove()
    return arguments["foreign"], arguments["unreachable"]


@pytest.fixture
def arguments(app, world):
    return module_arguments(app, world)


def foreign_arguments(world, arguments) -> dict:
    """Ids that belong to side B: nobody of side A may reach them."""
    return {
        "community_id": world.b.communities[0].id,
        "organisation_id": world.b.organisation.id,
        "token": "a-token-that-was-never-issued",
        **arguments[0],
    }


def unreachable_within_side(world, role: str, arguments) -> dict | None:
    """Side A's second community: only A's operator reaches it."""
    if role in ("admin", "operator"):
        return None
    return {"community_id": world.a.communities[1].id, **arguments[1]}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_EXERCISED:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def request(client, rule, method, arguments, handle=None):
    missing = set(rule.arguments) - set(arguments)
    assert not missing, f"teach the matrix how to fill {sorted(missing)} of {rule.rule}"
    path = rule.build({name: arguments[name] for name in rule.arguments}, append_unknown=False)[1]
    if method == "GET":
        return client.get(path)
    # A valid CSRF token, so what is tested is the permission, not the token.
    response = client.open(path, method=method, data={"csrf_token": csrf_token(client)})
    if rule.endpoint == "accounts.sign_out" and handle:
        sign_in(client, handle)  # carry on as the same role
    return response


def handle_of(role: str) -> str:
    return "platform-admin" if role == "admin" else f"{role}-a"


def administers_every_organisation(app, rule, role) -> bool:
    # The platform admin manages all organisations (not their communities).
    access = getattr(app.view_functions[rule.endpoint], "hromada_access", "")
    return role == "admin" and access.startswith("platform.")


def is_public(app, rule) -> bool:
    return getattr(app.view_functions[rule.endpoint], "hromada_access", None) == "public"


def test_no_role_reaches_another_organisations_objects(app, world, arguments):
    clients = clients_by_role(app, world)
    secrets = secrets_of(world.b)
    checked = 0
    for rule, method in routes(app):
        for role, client in clients.items():
            response = request(client, rule, method, foreign_arguments(world, arguments), handle_of(role))
            body = response.get_data(as_text=True)
            leaked = [secret for secret in secrets if secret in body]
            assert not leaked, f"{role} {method} {rule.rule} shows {leaked}"
            if administers_every_organisation(app, rule, role):
                continue
            if rule.arguments - {"token"} and not is_public(app, rule):
                assert response.status_code in (403, 404), f"{role} {method} {rule.rule}: {response.status_code}"
            checked += 1
    assert checked >= len(ALL_ROLES) * 10


def test_within_an_organisation_staff_reach_only_their_communities(app, world, arguments):
    clients = clients_by_role(app, world)
    secrets = ["secret-a2"]
    for rule, method in routes(app):
        if not set(rule.arguments) & set(unreachable_within_side(world, "member", arguments)):
            continue
        for role, client in clients.items():
            within = unreachable_within_side(world, role, arguments)
            if within is None:
                continue
            response = request(client, rule, method, {**foreign_arguments(world, arguments), **within}, handle_of(role))
            body = response.get_data(as_text=True)
            assert not [s for s in secrets if s in body], f"{role} {method} {rule.rule} leaks"
            if not is_public(app, rule):
                assert response.status_code in (403, 404), f"{role} {method} {rule.rule}: {response.status_code}"


def test_the_matrix_is_not_vacuous(app, world):
    # What a role may see, it does see: the refusals above are not a broken page.
    clients = clients_by_role(app, world)
    a1 = world.a.communities[0].id
    for role in ("coordinator", "member", "mentor", "expert", "facilitator", "operator"):
        page = clients[role].get(f"/communities/{a1}")
        assert page.status_code == 200 and "secret-a1" in page.get_data(as_text=True), role
    assert "secret-a2" in clients["operator"].get(f"/communities/{world.a.communities[1].id}").get_data(as_text=True)


def test_a_communitys_own_pages_show_nothing_of_another_organisations_communities(app, world, arguments):
    """What B's communities chose to share with their own programme's cohort (the civic course's shared change
    maps, among others) never reaches a community of another programme: every page of A's first community,
    read by its coordinator and its member, shows no secret of side B."""
    clients = {role: signed_in_client(app, role) for role in ("coordinator", "member")}
    secrets = secrets_of(world.b)
    values = {**foreign_arguments(world, arguments), "community_id": world.a.communities[0].id}
    checked = 0
    for rule, method in routes(app):
        if method != "GET" or set(rule.arguments) != {"community_id"}:
            continue
        for role, client in clients.items():
            response = request(client, rule, method, values, handle_of(role))
            leaked = [secret for secret in secrets if secret in response.get_data(as_text=True)]
            assert not leaked, f"{role} {method} {rule.rule} shows {leaked}"
            checked += response.status_code == 200
    assert checked >= 20


def signed_in_client(app, role: str):
    client = app.test_client()
    assert sign_in(client, handle_of(role)).status_code == 302, role
    return client


def test_anonymous_visitors_are_sent_to_sign_in(app, world, arguments):
    client = app.test_client()
    for rule, method in routes(app):
        if is_public(app, rule):
            continue
        response = request(client, rule, method, foreign_arguments(world, arguments))
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], rule.rule


def share_with_side_b(world, community_id: int) -> None:
    """The community also takes part in B's programme, with B's mentor, expert and facilitator assigned.

    Its name loses its marker, which B's staff may now read; A's objects in it keep theirs.
    """
    from sqlalchemy import select, update

    from hromada import tenancy
    from hromada.modules.accounts.models import StaffRole
    from hromada.modules.communities.models import Community, Enrolment, StaffAssignment
    from hromada.modules.programmes.models import Stage

    b = world.b
    with tenancy.system_scope():
        db.session.execute(update(Community).where(Community.id == community_id).values(name="Shared community"))
        stage_id = db.session.scalar(select(Stage.id).where(Stage.programme_id == b.programme.id))
        enrolment = Enrolment(tenant_id=community_id, organisation_id=b.organisation.id,
                              programme_id=b.programme.id, current_stage_id=stage_id)
        db.session.add(enrolment)
        db.session.flush()
        for role in ("mentor", "expert", "facilitator"):
            db.session.add(StaffAssignment(tenant_id=community_id, organisation_id=b.organisation.id,
                                           enrolment_id=enrolment.id, user_id=b.people[role].id, role=StaffRole(role)))
        db.session.commit()
    db.session.remove()


def test_staff_see_a_community_only_through_their_own_organisations_enrolment(app, world, arguments):
    """A2 takes part in A's programme and in B's. B's staff reach A2 through B's enrolment, and see
    nothing of A's programme there: not its page of A2's progress, its consultations, events or courses."""
    shared = world.a.communities[1].id
    share_with_side_b(world, shared)
    of_side_a = {"programme_id": world.a.programme.id, **arguments[1]}
    values = {**foreign_arguments(world, arguments), **of_side_a, "community_id": shared}
    secrets = ["secret-a", "Programme A", "Organisation A", "operator-a", "mentor-a", "expert-a"]
    clients = {role: app.test_client() for role in ("operator", "mentor", "expert", "facilitator")}
    for role, client in clients.items():
        assert sign_in(client, f"{role}-b").status_code == 302
        assert client.get(f"/communities/{shared}").status_code == 200, role  # B's staff do reach A2
    problems, checked = [], 0
    for rule, method in routes(app):
        if "community_id" not in rule.arguments or is_public(app, rule):
            continue
        for role, client in clients.items():
            response = request(client, rule, method, values, f"{role}-b")
            body = response.get_data(as_text=True)
            leaked = [secret for secret in secrets if secret in body]
            if leaked:
                problems.append(f"{role}-b {method} {rule.rule} shows {leaked}")
            elif set(rule.arguments) & set(of_side_a) and response.status_code not in (403, 404):
                problems.append(f"{role}-b {method} {rule.rule}: {response.status_code}")
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 4 * 20


def test_a_draft_programme_is_not_found_outside_its_organisation(app, world, arguments):
    """B's programme goes back to draft: every page that takes its id, public ones included (its page, its
    call), answers 404 to every role of side A and to visitors, and applying to it is refused; B's staff
    still see its page."""
    from sqlalchemy import update

    from hromada import tenancy
    from hromada.modules.programmes.models import Programme

    with tenancy.system_scope():
        db.session.execute(update(Programme).where(Programme.id == world.b.programme.id).values(published_at=None))
        db.session.commit()
    db.session.remove()
    clients = {**clients_by_role(app, world), "anonymous": app.test_client()}
    values = {**foreign_arguments(world, arguments), "community_id": world.a.communities[0].id,
              "programme_id": world.b.programme.id}
    problems, checked = [], 0
    for rule, method in routes(app):
        if "programme_id" not in rule.arguments or not set(rule.arguments) <= {"programme_id", "community_id"}:
            continue
        for role, client in clients.items():
            response = request(client, rule, method, values, None if role == "anonymous" else handle_of(role))
            if "Programme B" in response.get_data(as_text=True):
                problems.append(f"{role} {method} {rule.rule} shows the draft")
            allowed = (404,) if is_public(app, rule) or role == "coordinator" else (302, 403, 404)
            if response.status_code not in allowed:
                problems.append(f"{role} {method} {rule.rule}: {response.status_code}")
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= len(clients) * 3
    for role in ("operator", "mentor"):
        own = app.test_client()
        assert sign_in(own, f"{role}-b").status_code == 302
        page = own.get(f"/programmes/{world.b.programme.id}")
        assert page.status_code == 200 and "Programme B" in page.get_data(as_text=True), role
