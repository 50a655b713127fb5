"""Test helpers of the second factors: codes computed in the test, and the isolation matrix's arguments."""

from __future__ import annotations

import pyotp
from flask import current_app
from sqlalchemy import select, update

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.factors.models import FactorKind, SecondFactor
from hromada.modules.factors.published import DEMO_TOTP_SECRET, ensure_totp

TEST_TOTP_SECRET = DEMO_TOTP_SECRET


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    return pyotp.TOTP(secret).now()


def forget_used_codes(login: str) -> None:
    """Let the person's current code be used again: a test signs one person in many times a minute,
    which the replay protection (rightly) refuses to real people.

    In an app context of its own, as a request would be: the test's own session, and the objects
    it holds, are left as they were."""
    with current_app.app_context(), tenancy.system_scope():
        db.session.execute(
            update(SecondFactor).where(SecondFactor.kind == FactorKind.TOTP, SecondFactor.user_id.in_(
                select(User.id).where((User.handle == login.strip().lower()) | (User.email == login.strip().lower()))))
            .values(last_step=None).execution_options(synchronize_session=False))
        db.session.commit()


def give_totp(user_id: int, secret: str = TEST_TOTP_SECRET) -> None:
    with tenancy.system_scope():
        ensure_totp(user_id, secret)


def matrix_arguments(world) -> dict:
    """Side B's operator's factor: nobody else may remove it; B's mentor and member, whom nobody else resets."""
    with tenancy.system_scope():
        factors = dict(db.session.execute(select(SecondFactor.user_id, SecondFactor.id)).all())
    return {
        "foreign": {"factor_id": factors[world.b.people["operator"].id], "user_id": world.b.people["mentor"].id},
        "unreachable": {"factor_id": factors[world.a.people["operator"].id], "user_id": world.a.people["member"].id},
    }


SETUP_PAGE = "/account/second-factors/app"


def set_up_totp(client) -> str:
    """Set up an authenticator app through the real page, as a person with a phone would; its secret."""
    import re

    page = client.get(SETUP_PAGE).get_data(as_text=True)
    match = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match and token, "no key or form on the set-up page"
    secret = match.group(1).replace(" ", "")
    response = client.post(SETUP_PAGE, data={"csrf_token": token.group(1), "code": totp_code(secret)})
    assert response.status_code == 200 and "Your recovery codes" in response.get_data(as_text=True), response.status
    return secret
