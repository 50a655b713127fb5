"""Notifications reach their recipient once, in the recipient's language, and nobody else."""

from flask_babel import lazy_gettext as _l

from hromada.extensions import db
from hromada.modules.notifications.service import notify
from hromada.testing.factories import build_world, sign_in
from hromada.testing.fixtures import csrf_token

REMINDER = _l("Your account is ready.")


def test_a_notification_is_sent_once_and_shown_only_to_its_recipient(app, client):
    world = build_world()
    member, coordinator = world.a.people["member"].id, world.a.people["coordinator"].id
    assert notify([member], key="welcome", message=REMINDER, link="/account") == 1
    assert notify([member], key="welcome", message=REMINDER) == 0  # a job run twice
    db.session.commit()

    sign_in(client, "member-a")
    page = client.get("/notifications").get_data(as_text=True)
    assert "Your account is ready." in page
    client.post("/notifications/read", data={"csrf_token": csrf_token(client)})
    assert 'class="card unread"' not in client.get("/notifications").get_data(as_text=True)

    other = app.test_client()
    sign_in(other, "coordinator-a")
    assert "Your account is ready." not in other.get("/notifications").get_data(as_text=True)
    assert coordinator
