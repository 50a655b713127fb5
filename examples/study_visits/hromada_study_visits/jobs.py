"""The plugin's background job: counting the words of a visit's report."""

from __future__ import annotations

from hromada.plugin_api import db, job
from hromada_study_visits.models import StudyVisit


class ReportNotWritten(RuntimeError):
    """The visit has no report yet; raising lets the job system retry later."""


# once=True: the run is recorded under its name and arguments, so a job delivered
# twice counts once. The count is taken when the final report is submitted; a
# plugin that let reports be edited would pass a revision number to count each one.
@job("study_visits.count_report_words", once=True)
def count_report_words(tenant_id: int, visit_id: int) -> int | None:
    # The runner has set the tenant from `tenant_id`: both isolation walls show this job
    # that community's rows only.
    visit = db.session.get(StudyVisit, visit_id)
    if visit is None:
        return None  # erased since the job was enqueued: nothing to count
    if not visit.report.strip():
        raise ReportNotWritten(f"Study visit {visit_id} has no report yet.")
    # No commit here: the runner commits this change together with the run record.
    visit.report_word_count = len(visit.report.split())
    return visit.report_word_count
