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
    "courses.course_created": _l("Created a course"),
    "courses.course_from_template": _l("Added a course from the catalogue"),
    "courses.course_changed": _l("Changed a course"),
    "courses.content_changed": _l("Changed a course's modules or lessons"),
    "courses.session_saved": _l("Scheduled or changed a course session"),
    "courses.attendance_marked": _l("Marked attendance at a course session"),
    "courses.read_participants": _l("Staff opened the participants of a course session"),
    "courses.read_completion": _l("Staff opened the communities' completion of a course"),
    # Progress through stages (hromada.modules.progress)
    "staff.read_cohort": _l("Staff opened a programme's cohort overview"),
    "enrolment_advanced": _l("Moved a community to the next stage"),
    "enrolment_completed": _l("Marked a community's programme completed"),
    "enrolment_overridden": _l("Moved a community on although requirements were open"),
    "enrolment_withdrawn": _l("Withdrew a community from a programme"),
    "staff_assigned": _l("Assigned staff to a community"),
    "staff_unassigned": _l("Removed staff from a community"),
    # Programmes, calls and admission (hromada.modules.programmes)
    "programme_created": _l("Created a programme"),
    "programme_changed": _l("Changed a programme"),
    "stage_added": _l("Added a stage to a programme"),
    "stage_changed": _l("Changed a stage"),
    "stage_moved": _l("Moved a stage"),
    "stage_closed": _l("Closed a stage"),
    "call_changed": _l("Changed a programme's call"),
    "application_form_changed": _l("Changed a call's questions"),
    "application_submitted": _l("Applied to a programme"),
    "application_admitted": _l("Admitted a community to a programme"),
    "application_declined": _l("Declined an application"),
    "staff.read_applications": _l("Staff read a programme's applications"),
}


def audit_label(action: str) -> str:
    return AUDIT_LABELS.get(action, action)
