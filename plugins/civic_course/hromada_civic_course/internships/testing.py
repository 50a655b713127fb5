"""Test helpers of the internships: a host, a placement and a member's application with a logbook entry."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hromada.plugin_api import Stage, db, system_scope, utc_now, utc_today
from hromada_civic_course.internships.models import (
    ApplicationStatus,
    HostOrganisation,
    InternshipApplication,
    LogbookEntry,
    Placement,
)
from hromada_civic_course.visibility import STAGE_TYPE


def with_a_civic_stage(programme_id: int) -> int:
    """The programme's civic course stage, added after its others if it has none (its communities stay where
    they are); committed."""
    with system_scope():
        stage_id = db.session.scalar(select(Stage.id).where(Stage.programme_id == programme_id,
                                                            Stage.stage_type == STAGE_TYPE))
        if stage_id is None:
            last = db.session.scalar(select(Stage.position).where(Stage.programme_id == programme_id)
                                     .order_by(Stage.position.desc()).limit(1))
            stage = Stage(programme_id=programme_id, position=(last or 0) + 1, stage_type=STAGE_TYPE)
            db.session.add(stage)
            db.session.commit()
            stage_id = stage.id
        return stage_id


def make_placement(organisation_id: int, programme_id: int, *, marker: str = "", places: int = 1) -> int:
    """A host organisation and a placement at it, in a month for two weeks; committed."""
    with system_scope():
        host = HostOrganisation(organisation_id=organisation_id, name=f"Town hall of Velmora {marker}".strip(),
                                kind="local_government", country="Ostrinel", languages="English")
        db.session.add(host)
        db.session.flush()
        today = utc_today()
        placement = Placement(organisation_id=organisation_id, programme_id=programme_id, host_id=host.id,
                              starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=44), places=places,
                              tasks=f"Help the youth council {marker}".strip(), language="English")
        db.session.add(placement)
        db.session.commit()
        return placement.id


def make_application(community_id: int, organisation_id: int, placement_id: int, user_id: int, *,
                     marker: str = "", selected: bool = False) -> int:
    """The member's application (selected, with travel details and a logbook entry, if asked); committed."""
    with system_scope():
        application = InternshipApplication(
            tenant_id=community_id, organisation_id=organisation_id, placement_id=placement_id, user_id=user_id,
            motivation=f"I want to learn how councils listen {marker}".strip(), languages="English",
            status=(ApplicationStatus.SELECTED if selected else ApplicationStatus.APPLIED).value,
            decided_at=utc_now() if selected else None,
            travel=f"Night train on the first day {marker}".strip() if selected else "")
        db.session.add(application)
        db.session.flush()
        if selected:
            db.session.add(LogbookEntry(tenant_id=community_id, organisation_id=organisation_id,
                                        application_id=application.id, written_on=utc_today(),
                                        text=f"Met the youth council {marker}".strip()))
        db.session.commit()
        return application.id


def matrix_arguments(world) -> dict:
    """Side B: a placement of B's programme (which gets a civic course stage, so that its operator's pages
    open) with B1's member selected; side A: its second community's member applied for A's placement."""
    b, a = world.b, world.a
    with_a_civic_stage(b.programme.id)
    foreign_placement = make_placement(b.organisation.id, b.programme.id, marker="secret-b1")
    foreign = make_application(b.communities[0].id, b.organisation.id, foreign_placement, b.people["member"].id,
                               marker="secret-b1", selected=True)
    # The coordinator's application waits for a decision: the operator's page offers to select them.
    make_application(b.communities[0].id, b.organisation.id, foreign_placement, b.people["coordinator"].id,
                     marker="secret-b1")
    reachable = make_placement(a.organisation.id, a.programme.id, marker="secret-a2")
    # A2 has no member in the test world: the row names A's member, which is all the matrix needs.
    unreachable = make_application(a.communities[1].id, a.organisation.id, reachable, a.people["member"].id,
                                   marker="secret-a2", selected=True)
    with system_scope():
        hosts = {placement_id: db.session.scalar(select(Placement.host_id).where(Placement.id == placement_id))
                 for placement_id in (foreign_placement, reachable)}
    return {"foreign": {"placement_id": foreign_placement, "internship_id": foreign, "host_id": hosts[foreign_placement]},
            "unreachable": {"placement_id": reachable, "internship_id": unreachable, "host_id": hosts[reachable]}}

