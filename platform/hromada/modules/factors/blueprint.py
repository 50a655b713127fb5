from flask import Blueprint
from flask_login import current_user

from hromada.authz import public, requires
from hromada.extensions import limiter
from hromada.modules.factors import controllers, state
from hromada.modules.factors.recent import requires_recent_factor

bp = Blueprint("factors", __name__, template_folder="templates")


def _person_key() -> str:
    # The person whose codes are tried (never the code): a six-digit code is guessed in a million tries,
    # so each person gets few, whatever address or browser they come from.
    if current_user.is_authenticated:
        return f"second-factor:{current_user.id}"
    pending = state.pending()
    return f"second-factor:{pending['user'] if pending else 'none'}"


def _failed(response) -> bool:
    return response.status_code != 302


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
                view_func=requires("account.manage")(requires_recent_factor(controllers.remove)), methods=["POST"])
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
