"""A study visit belongs to the community that travels: that community is its tenant."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from hromada.plugin_api import TenantOwned, db


class StudyVisit(TenantOwned, db.Model):
    """A visit to a host community, and the report the visitors wrote afterwards.

    `TenantOwned` adds `tenant_id` (required, indexed, deleted with the community)
    and puts the table behind both walls of tenant isolation.
    """

    __tablename__ = "study_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Free text, not a link to the host's tenant: the visit is the traveller's data only.
    host_name: Mapped[str] = mapped_column(String(200))
    visit_on: Mapped[date] = mapped_column(Date)
    report: Mapped[str] = mapped_column(Text, default="")
    # None until the `study_visits.count_report_words` job has counted the report.
    report_word_count: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
