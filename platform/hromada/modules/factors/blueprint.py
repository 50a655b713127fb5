from flask import Blueprint
from flask_login import current_user

from hromada.authz import public, requires
from hromada.digests import keyed_digest
from hromada.extensions import limiter
from hromada.modules.factors import controllers, passkey_views, passkeys, state
from hromada.modules.factors.recent import requires_recent_factor

bp = Blueprint("factors", __name__, template_folder="templates")


@bp.context_processor
def passkey_settings() -> dict:
    return {"passkeys_enabled": passkeys.enabled()}


def _person_key() -> str:
    # The person whose codes are tried (never the code): a six-digit code is guessed in a million tries,
    # so each person gets few, whatever address or browser they come from.
    # The limiter logs a breached limit with its key: the person is named by a keyed hash (hromada.logs).
    if current_user.is_authenticated:
        person = current_user.id
    else:
        pending = state.pending()
        person = pending["user"] if pending else "none"
    return "second-factor:" + keyed_digest(f"user:{person}")


def _failed(response) -> bool:
    # Refused codes and passkeys answer 400; accepted ones redirect (a form) or answer 200 (a passkey's JSON).
    return response.status_code >= 400


def limited(view):
    """Per address, and per person: 5 wrong codes a minute, 20 an hour."""
    return limiter.limit("20 per minute;100 per hour", methods=["POST"], deduct_when=_failed)(
        limiter.limit("5 per minute;20 per hour", methods=["POST"], key_func=_person_key, deduct_when=_failed)(view))


bp.add_url_rule("/sign-in/second-factor", view_func=limited(public(controllers.sign_in_step)), methods=["GET", "POST"])
bp.add_url_rule("/account/second-factors", view_func=requires("account.manage")(controllers.index))
bp.add_url_rule("/account/second-factors/confirm", view_func=limited(requires("account.manage")(controllers.confirm)),
                methods=["GET", "POST"])
bp.add_url_rule("/account/second-factors/app", view_func=limited(requires("account.manage")(controllers.setup_totp)),
                methods=["GET", "POST"])
bp.add_url_rule("/account/second-factors/<int:factor_id>/remove",
                view_func=requires("account.manage")(controllers.remove), methods=["POST"])
bp.add_url_rule("/account/second-factors/recovery-codes",
                view_func=requires("account.manage")(requires_recent_factor(controllers.new_codes)), methods=["POST"])
bp.add_url_rule(
    "/organisations/<int:organisation_id>/staff/<int:user_id>/second-factors",
    view_func=requires("factors.reset_staff", organisation="organisation_id")(
        requires_recent_factor(controllers.reset_staff)),
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/communities/<int:community_id>/members/<int:user_id>/second-factors",
    view_func=requires("factors.reset_members", community="community_id")(
        requires_recent_factor(controllers.reset_member)),
    methods=["GET", "POST"],
)

# Passkeys: JSON endpoints of static/passkeys.js (CSRF token in the X-CSRFToken header).
bp.add_url_rule("/account/second-factors/passkeys/options",
                view_func=requires("account.manage")(passkey_views.register_options), methods=["POST"])
bp.add_url_rule("/account/second-factors/passkeys", view_func=requires("account.manage")(passkey_views.register),
                methods=["POST"])
bp.add_url_rule("/account/second-factors/new-codes", view_func=requires("account.manage")(passkey_views.fresh_codes))
# For the person between password and second factor, or a signed-in person confirming.
bp.add_url_rule("/second-factor/passkey/options", view_func=limited(public(passkey_views.prove_options)),
                methods=["POST"])
bp.add_url_rule("/second-factor/passkey", view_func=limited(public(passkey_views.prove)), methods=["POST"])
