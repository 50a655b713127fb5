"""Who may see and do what with one community's consultations.

`ACCESS_RULES` (added to the one policy through `hromada_access_rules`) decide
who reaches the community's consultation pages at all; `Viewer` answers, per
consultation, for the person looking:

- the summary, the follow-ups and the rating comment: the community's
  coordinators and the staff assigned to the consultation's enrolment;
- operators of the organisation: topics, dates, durations, ratings and counts,
  never a summary, a follow-up's text or private notes;
- private notes: their author, and the staff of the enrolment the author shared
  them with; on an author-only topic (psychological support) their author alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from hromada import authz
from hromada.authz import ALL_STAFF, MEMBER_ROLES, community_rule, is_staff, organisation_rule
from hromada.contributions import AccessRule
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityRole, StaffRole
from hromada.modules.communities.models import StaffAssignment

from hromada.modules.consultations.models import Consultation, ConsultationStatus, FollowUp

LEADS = {StaffRole.MENTOR, StaffRole.EXPERT}
COORDINATORS = {CommunityRole.COORDINATOR}
OPERATORS = organisation_rule({StaffRole.OPERATOR})

ACCESS_RULES = [
    AccessRule("consultations.view", community_rule(COORDINATORS, ALL_STAFF)),
    AccessRule("consultations.request", community_rule(COORDINATORS, set())),
    AccessRule("consultations.rate", community_rule(COORDINATORS, set())),
    AccessRule("consultations.schedule", community_rule(set(), {StaffRole.OPERATOR, *LEADS})),
    AccessRule("consultations.cancel", community_rule(COORDINATORS, {StaffRole.OPERATOR, *LEADS})),
    AccessRule("consultations.log", community_rule(set(), LEADS)),
    AccessRule("consultations.log_directly", community_rule(set(), LEADS)),
    AccessRule("consultations.notes", community_rule(set(), {*LEADS, StaffRole.FACILITATOR})),
    AccessRule("consultations.follow_ups", community_rule(MEMBER_ROLES, ALL_STAFF)),
    AccessRule("consultations.staff_lists", is_staff),
    # Consultations are between communities and the staff who support them: nobody else has a hub.
    AccessRule("consultations.hub", lambda p, _target=None: bool(p.memberships or p.staff)),
    AccessRule("consultations.manage_topics", OPERATORS),
    AccessRule("consultations.programme_kpis", OPERATORS),
]


@dataclass
class Viewer:
    """The signed-in person, as seen from one community."""

    user_id: int
    community_id: int
    community_role: CommunityRole | None = None
    # enrolment id -> the roles this person is assigned there (and still holds).
    assignments: dict[int, set[StaffRole]] = field(default_factory=dict)
    # Organisations this person is an operator of and through which they reach the community.
    operator_of: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, community_id: int) -> Viewer:
        p = authz.principal()
        assignments: dict[int, set[StaffRole]] = {}
        if p.staff:
            rows = db.session.execute(
                select(StaffAssignment.enrolment_id, StaffAssignment.organisation_id, StaffAssignment.role).where(
                    StaffAssignment.tenant_id == community_id, StaffAssignment.user_id == p.user_id
                )
            )
            for enrolment_id, organisation_id, role in rows:
                if role in p.staff_roles(organisation_id):
                    assignments.setdefault(enrolment_id, set()).add(role)
        operator_of = {org for org, roles in p.reaches(community_id).items() if StaffRole.OPERATOR in roles}
        return cls(p.user_id, community_id, p.memberships.get(community_id), assignments, operator_of)

    # --- who the person is here

    @property
    def is_coordinator(self) -> bool:
        return self.community_role == CommunityRole.COORDINATOR

    @property
    def is_member(self) -> bool:
        return self.community_role is not None

    def roles_in(self, enrolment_id: int) -> set[StaffRole]:
        return self.assignments.get(enrolment_id, set())

    def leads_in(self, enrolment_id: int) -> bool:
        return bool(self.roles_in(enrolment_id) & LEADS)

    def operates(self, consultation: Consultation) -> bool:
        return consultation.organisation_id in self.operator_of

    # --- what the person may see

    def can_read_summary(self, consultation: Consultation) -> bool:
        return self.is_coordinator or bool(self.roles_in(consultation.enrolment_id))

    def can_see(self, consultation: Consultation) -> bool:
        return self.can_read_summary(consultation) or self.operates(consultation)

    def can_read_request(self, consultation: Consultation) -> bool:
        # Whoever may schedule it needs to know what is asked.
        return self.can_read_summary(consultation) or self.operates(consultation)

    def can_read_notes(self, consultation: Consultation, shared_with: set[int]) -> bool:
        if not consultation.has_notes or self.user_id is None:
            return False
        if consultation.notes_author_id == self.user_id:
            return True
        if consultation.notes_author_only:
            return False
        return self.user_id in shared_with and bool(self.roles_in(consultation.enrolment_id))

    def can_see_follow_up(self, follow_up: FollowUp) -> bool:
        return self.can_read_summary(follow_up.consultation) or follow_up.owner_id == self.user_id

    # --- what the person may do

    def can_schedule(self, consultation: Consultation) -> bool:
        return consultation.is_open and (self.operates(consultation) or self.leads_in(consultation.enrolment_id))

    def can_cancel(self, consultation: Consultation) -> bool:
        return consultation.is_open and (self.is_coordinator or self.can_schedule(consultation))

    def can_log(self, consultation: Consultation) -> bool:
        return (
            consultation.status == ConsultationStatus.SCHEDULED
            and consultation.has_begun
            and consultation.staff_id == self.user_id
            and self.leads_in(consultation.enrolment_id)
        )

    def can_rate(self, consultation: Consultation) -> bool:
        return self.is_coordinator and consultation.status == ConsultationStatus.LOGGED

    def can_share_notes(self, consultation: Consultation) -> bool:
        return (
            consultation.has_notes
            and consultation.notes_author_id == self.user_id
            and not consultation.notes_author_only
        )

    def can_mark_done(self, follow_up: FollowUp) -> bool:
        return follow_up.done_at is None and (
            (self.is_coordinator and self.can_read_summary(follow_up.consultation)) or follow_up.owner_id == self.user_id
        )

    @property
    def is_staff_here(self) -> bool:
        return bool(self.assignments or self.operator_of)
