from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Failed sign-in"),
    "sign_out": _l("Signed out"),
    "password_changed": _l("Changed the password"),
    "invitation_created": _l("Created an invitation"),
    "invitation_accepted": _l("Accepted an invitation"),
    "organisation_created": _l("Created an organisation"),
    "community_created": _l("Created a community"),
    "role_changed": _l("Changed a role"),
    "staff.read_community": _l("Staff opened a community's page"),
    "staff.list_communities": _l("Staff listed their communities"),
}


def audit_label(action: str) -> str:
    return AUDIT_LABELS.get(action, action)
