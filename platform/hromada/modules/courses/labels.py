"""How the courses module's entries are named in the audit log (hromada_audit_labels)."""

from hromada.i18n import lazy_gettext as _l

AUDIT_LABELS = {
    "courses.course_created": _l("Created a course"),
    "courses.course_from_template": _l("Added a course from the catalogue"),
    "courses.course_changed": _l("Changed a course"),
    "courses.content_changed": _l("Changed a course's modules or lessons"),
    "courses.session_saved": _l("Scheduled or changed a course session"),
    "courses.attendance_marked": _l("Marked attendance at a course session"),
    "courses.read_participants": _l("Staff opened the participants of a course session"),
    "courses.read_completion": _l("Staff opened the communities' completion of a course"),
}
