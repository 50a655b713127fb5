"""How the audit log names what happens to scholarship calls and applications."""

from hromada.i18n import lazy_gettext as _l

AUDIT_LABELS = {
    "scholarships.call_opened": _l("Opened a scholarship call"),
    "scholarships.call_changed": _l("Changed a scholarship call"),
    "scholarships.questions_changed": _l("Changed the questions of a scholarship call"),
    "scholarships.application_drafted": _l("Kept a draft scholarship application"),
    "scholarships.application_submitted": _l("Submitted a scholarship application"),
    "scholarships.application_changed": _l("Changed a submitted scholarship application"),
    "scholarships.application_withdrawn": _l("Withdrew a scholarship application"),
    "scholarships.read_application": _l("Read a scholarship application"),
    "scholarships.rubric_changed": _l("Changed the rubric of a scholarship call"),
    "scholarships.reviewer_assigned": _l("Assigned a reviewer to a scholarship application"),
    "scholarships.reviewer_recused": _l("Declared a conflict of interest and was recused"),
    "scholarships.reviewer_declared_no_conflict": _l("Declared no conflict of interest"),
    "scholarships.review_submitted": _l("Submitted a review"),
    "scholarships.application_approved": _l("Approved a scholarship application"),
    "scholarships.application_declined": _l("Declined a scholarship application"),
    "scholarships.application_more_information": _l("Asked a community for more information"),
    "scholarships.tranche_paid": _l("Recorded the payment of a scholarship tranche"),
    "scholarships.tranche_released": _l("Released a scholarship tranche: its condition is met"),
    "scholarships.report_questions_changed": _l("Changed the report questions of a scholarship call"),
    "scholarships.report_drafted": _l("Kept a draft scholarship report"),
    "scholarships.report_submitted": _l("Submitted a scholarship report"),
    "scholarships.report_approved": _l("Approved a scholarship report"),
    "scholarships.report_returned": _l("Returned a scholarship report with a comment"),
    "scholarships.read_report": _l("Read a scholarship report"),
    "scholarships.milestone_chosen": _l("Chose the milestone that releases a scholarship tranche"),
    "scholarships.budget_exported": _l("Downloaded the tranches of a scholarship call"),
    "scholarships.programme_budget_exported": _l("Downloaded the tranches of a programme's scholarship calls"),
}

STATUS_LABELS = {
    "draft": _l("Draft: not sent yet"),
    "submitted": _l("Submitted"),
    "withdrawn": _l("Withdrawn"),
    "more_information": _l("More information asked"),
    "approved": _l("Approved"),
    "declined": _l("Declined"),
}

REVIEW_LABELS = {
    "assigned": _l("Has not declared yet"),
    "recused": _l("Recused (conflict of interest)"),
    "reviewing": _l("Reviewing"),
    "submitted": _l("Scored"),
}
