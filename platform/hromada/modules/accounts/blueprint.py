from flask import Blueprint, request

from hromada.authz import public, requires
from hromada.extensions import limiter
from hromada.modules.accounts import controllers

bp = Blueprint("accounts", __name__, template_folder="templates")


def _account_key() -> str:
    # Per account: the same login tried from many addresses is limited too.
    return "sign-in:" + (request.form.get("login") or "").strip().lower()[:254]


sign_in = limiter.limit("20 per minute;100 per hour", methods=["POST"])(
    limiter.limit("5 per minute;30 per hour", methods=["POST"], key_func=_account_key)(public(controllers.sign_in))
)
bp.add_url_rule("/sign-in", view_func=sign_in, methods=["GET", "POST"])
bp.add_url_rule("/sign-out", view_func=requires("account.manage")(controllers.sign_out), methods=["POST"])
bp.add_url_rule("/account", view_func=requires("account.manage")(controllers.account), methods=["GET", "POST"])
bp.add_url_rule(
    "/account/password", view_func=requires("account.manage")(controllers.change_password), methods=["POST"]
)
bp.add_url_rule(
    "/invitations/staff/<token>",
    view_func=public(controllers.accept_staff_invitation),
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/invitations/community/<int:community_id>/<token>",
    view_func=public(controllers.accept_member_invitation),
    methods=["GET", "POST"],
)
