"""A plugin with a job that waits while a file exists: a test kills its worker in the middle of it.

Loaded by tests/test_faults.py in the test's process (the `probe` plugin) and in the workers it
starts (`hromada.testing.worker.start_worker(..., plugins={"probe": "slow_job:plugin"})`).
"""

from __future__ import annotations

import time
from pathlib import Path

from hromada.plugin_api import db, hookimpl, job
from hromada_study_visits.models import StudyVisit

SLOW_JOB = "probe.count_words_slowly"


@job(SLOW_JOB)
def count_words_slowly(tenant_id: int, visit_id: int, hold: str) -> int:
    """Wait while the file `hold` exists, then add one to the visit's count: a run that finished twice shows."""
    deadline = time.monotonic() + 60
    while Path(hold).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    visit = db.session.get(StudyVisit, visit_id)
    visit.report_word_count = (visit.report_word_count or 0) + 1
    return visit.report_word_count


class SlowJobPlugin:
    @hookimpl
    def hromada_jobs(self):
        return [count_words_slowly]


plugin = SlowJobPlugin()
