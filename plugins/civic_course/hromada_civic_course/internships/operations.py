"""What changes an internship, testable without HTTP: applying, selecting under the placement's lock, withdrawing.

Every function acts in the current tenancy context and never commits: the caller
commits with the audit entry. Refused explains why, in the person's language.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from hromada.plugin_api import db, record_audit, utc_now, utc_today
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.internships.models import ApplicationStatus, InternshipApplication, Placement

OPEN = (ApplicationStatus.APPLIED.value, ApplicationStatus.SELECTED.value)


class Refused(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def open_placements(programme_id: int | None) -> list[Placement]:
    """The placements of the programme that have not ended yet, the soonest first, with their hosts: one query."""
    if programme_id is None:
        return []
    return list(db.session.scalars(select(Placement).options(joinedload(Placement.host)).where(
        Placement.programme_id == programme_id, Placement.ends_on >= utc_today())
        .order_by(Placement.starts_on, Placement.id)))


def apply(community_id: int, placement: Placement, *, intern_id: int, nominated_by_id: int | None,
          motivation: str, languages: str) -> InternshipApplication:
    """The intern's application (the one they already have for this placement, if any: a form sent twice)."""
    existing = db.session.scalars(select(InternshipApplication).where(
        InternshipApplication.tenant_id == community_id, InternshipApplication.placement_id == placement.id,
        InternshipApplication.user_id == intern_id)).one_or_none()
    if existing is not None:
        if existing.status in OPEN:
            return existing
        existing.status, existing.decided_at = ApplicationStatus.APPLIED.value, None  # applies again
        existing.motivation, existing.languages, existing.nominated_by_id = motivation, languages, nominated_by_id
        return existing
    application = InternshipApplication(tenant_id=community_id, organisation_id=placement.organisation_id,
                                        placement_id=placement.id, user_id=intern_id, nominated_by_id=nominated_by_id,
                                        motivation=motivation, languages=languages)
    db.session.add(application)
    db.session.flush()
    record_audit("civic_course.internship_applied", community_id=community_id, organisation_id=placement.organisation_id,
                 application_id=application.id, placement_id=placement.id)
    return application


def selected_counts(placement_ids) -> dict[int, dict[str, int]]:
    """{placement id: {status: applications}} of the applications the context reads, in one query."""
    counts: dict[int, dict[str, int]] = {}
    for placement_id, status, count in db.session.execute(
            select(InternshipApplication.placement_id, InternshipApplication.status, func.count())
            .where(InternshipApplication.placement_id.in_(list(placement_ids)))
            .group_by(InternshipApplication.placement_id, InternshipApplication.status)):
        counts.setdefault(placement_id, {})[status] = count
    return counts


def decide(application: InternshipApplication, selected: bool) -> None:
    """Select the applicant (if a place is left) or not. The placement's row is locked on PostgreSQL while its
    places are counted, so two operators selecting at once never fill more places than there are."""
    if application.status not in OPEN:
        raise Refused(_l("This application was withdrawn or already declined."))
    placement = db.session.scalars(select(Placement).where(Placement.id == application.placement_id)
                                   .with_for_update()).one()
    if selected and application.status != ApplicationStatus.SELECTED.value:
        taken = db.session.scalar(select(func.count(InternshipApplication.id)).where(
            InternshipApplication.placement_id == placement.id,
            InternshipApplication.status == ApplicationStatus.SELECTED.value))
        if taken >= placement.places:
            raise Refused(_l("Every place of this placement is taken."))
    application.status = (ApplicationStatus.SELECTED if selected else ApplicationStatus.DECLINED).value
    application.decided_at = utc_now()
    record_audit("civic_course.internship_selected" if selected else "civic_course.internship_declined",
                 organisation_id=application.organisation_id, community_id=application.tenant_id,
                 application_id=application.id, placement_id=placement.id)


def change_placement(placement: Placement, *, host_id: int, starts_on, ends_on, places: int, tasks: str,
                     language: str) -> None:
    """Change the placement; its places never drop below the interns selected. Its row is locked on PostgreSQL
    while they are counted, as when an intern is selected (`decide`), so the two never cross."""
    locked = db.session.scalars(select(Placement).where(Placement.id == placement.id).with_for_update()).one()
    selected = db.session.scalar(select(func.count(InternshipApplication.id)).where(
        InternshipApplication.placement_id == locked.id,
        InternshipApplication.status == ApplicationStatus.SELECTED.value))
    if places < selected:
        raise Refused(_l("%(selected)s interns are selected: the placement needs at least as many places.",
                         selected=selected))
    locked.host_id, locked.starts_on, locked.ends_on, locked.places = host_id, starts_on, ends_on, places
    locked.tasks, locked.language = tasks, language
    audit_change("civic_course.placement_changed", locked.organisation_id, placement_id=locked.id, places=places)


def audit_change(action: str, organisation_id: int, **details) -> None:
    record_audit(action, organisation_id=organisation_id, **details)


def withdraw(application: InternshipApplication) -> None:
    if application.status not in OPEN:
        raise Refused(_l("This application was withdrawn or already declined."))
    application.status, application.decided_at = ApplicationStatus.WITHDRAWN.value, utc_now()
    record_audit("civic_course.internship_withdrawn", community_id=application.tenant_id,
                 organisation_id=application.organisation_id, application_id=application.id)


AUDIT_LABELS = {
    "civic_course.internship_applied": _l("Applied for an internship placement"),
    "civic_course.internship_selected": _l("Selected an intern"),
    "civic_course.internship_declined": _l("Declined an internship application"),
    "civic_course.internship_withdrawn": _l("Withdrew an internship application"),
    "civic_course.host_changed": _l("Changed a host organisation"),
    "civic_course.placement_changed": _l("Changed an internship placement"),
}
