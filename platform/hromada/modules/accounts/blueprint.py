from flask import Blueprint, request
from flask_login import current_user

from hromada.authz import public, requires
from hromada.digests import keyed_digest
from hromada.extensions import limiter
from hromada.modules.accounts import controllers, devices

bp = Blueprint("accounts", __name__, template_folder="templates")


def _login() -> str:
    return (request.form.get("login") or "").strip().lower()[:254]


# The limiter logs a breached limit with its key: the keys name the account by a hash (hromada.logs).
def _account_key() -> str:
    # Per account: the same login tried from many addresses and unknown browsers is limited too.
    return "sign-in:" + devices.login_digest(_login())


def _device_key() -> str:
    return f"sign-in-device:{devices.device_for(_login())}:{devices.login_digest(_login())}"


def _from_a_known_device() -> bool:
    return devices.device_for(_login()) is not None


def _failed(response) -> bool:
    # Only failed attempts count: signing in and out all day is not an attack.
    return response.status_code != 302


# Per address; per account for unknown browsers; per browser for the browsers the person signed in with
# (hromada.modules.accounts.devices), so that strangers' wrong passwords never lock the person out.
sign_in = limiter.limit("20 per minute;100 per hour", methods=["POST"], deduct_when=_failed)(
    limiter.limit("5 per minute;30 per hour", methods=["POST"], key_func=_account_key,
                  exempt_when=_from_a_known_device, deduct_when=_failed)(
        limiter.limit("5 per minute;30 per hour", methods=["POST"], key_func=_device_key,
                      exempt_when=lambda: not _from_a_known_device(), deduct_when=_failed)(
            public(controllers.sign_in)
        )
    )
)
bp.add_url_rule("/sign-in", view_func=sign_in, methods=["GET", "POST"])
bp.add_url_rule("/sign-out", view_func=requires("account.manage")(controllers.sign_out), methods=["POST"])
bp.add_url_rule("/account", view_func=requires("account.manage")(controllers.account), methods=["GET", "POST"])
bp.add_url_rule(
    "/account/password", view_func=requires("account.manage")(controllers.change_password), methods=["POST"]
)
bp.add_url_rule("/account/sessions", view_func=requires("account.manage")(controllers.sessions_page))


def _person_key() -> str:
    # The person whose password is tried, named by a keyed hash (hromada.logs): a stolen session cannot
    # guess the password here faster than at sign-in.
    person = current_user.id if current_user.is_authenticated else "none"  # the anonymous are refused anyway
    return "reauthenticate:" + keyed_digest(f"user:{person}")


def _reauthentication_limited(view):
    return limiter.limit("5 per minute;20 per hour", methods=["POST"], key_func=_person_key,
                         deduct_when=lambda response: response.status_code == 400)(view)


bp.add_url_rule("/account/sessions/<int:session_id>/end",
                view_func=_reauthentication_limited(requires("account.manage")(controllers.end_session)),
                methods=["POST"])
bp.add_url_rule("/account/sessions/end-others",
                view_func=_reauthentication_limited(requires("account.manage")(controllers.end_others)),
                methods=["POST"])
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
