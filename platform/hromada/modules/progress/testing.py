"""Test helpers of the progress module: the isolation matrix's arguments, and bigger cohorts."""

from __future__ import annotations

from sqlalchemy import select, update

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.communities.models import Community, Enrolment


def enrolment_of(community_id: int, programme_id: int) -> Enrolment:
    """The enrolment, detached: its loaded values stay readable whatever context a test sets next."""
    with tenancy.system_scope():
        enrolment = db.session.scalars(
            select(Enrolment).where(Enrolment.tenant_id == community_id, Enrolment.programme_id == programme_id)
        ).one()
        db.session.expunge(enrolment)
        return enrolment


def matrix_arguments(world) -> dict:
    """Side B's programme and enrolment; the enrolment of A's second community (only A's operator reaches it)."""
    b_enrolment = enrolment_of(world.b.communities[0].id, world.b.programme.id)
    a2_enrolment = enrolment_of(world.a.communities[1].id, world.a.programme.id)
    return {
        "foreign": {"programme_id": world.b.programme.id, "enrolment_id": b_enrolment.id},
        "unreachable": {"programme_id": world.a.programme.id, "enrolment_id": a2_enrolment.id},
    }


def add_communities(side, count: int, *, prefix: str = "Extra") -> list[Enrolment]:
    """Enrol `count` more communities in the side's programme, in its first stage; committed."""
    from hromada.modules.programmes.models import Stage

    enrolments = []
    with tenancy.system_scope():
        stage = db.session.scalars(
            select(Stage).where(Stage.programme_id == side.programme.id).order_by(Stage.position)).first()
        for number in range(count):
            community = Community.create(f"{prefix} {number:03d}")
            enrolment = Enrolment(tenant_id=community.id, organisation_id=side.organisation.id,
                                  programme_id=side.programme.id, current_stage_id=stage.id)
            db.session.add(enrolment)
            enrolments.append(enrolment)
        db.session.commit()
        for enrolment in enrolments:
            db.session.refresh(enrolment)
            db.session.expunge(enrolment)
    return enrolments


def add_stages(side, *titles: str, closed: tuple[str, ...] = ()) -> list:
    """Append stages (incubator type, given titles) to the side's programme; committed. Returns all its stages."""
    from datetime import datetime, timezone

    from hromada.modules.programmes.models import Stage

    with tenancy.system_scope():
        stages = list(db.session.scalars(
            select(Stage).where(Stage.programme_id == side.programme.id).order_by(Stage.position)))
        position = stages[-1].position + 1 if stages else 0
        for offset, title in enumerate(titles):
            stage = Stage(programme_id=side.programme.id, position=position + offset, stage_type="incubator",
                          title=title, closed_at=datetime.now(timezone.utc) if title in closed else None)
            db.session.add(stage)
            stages.append(stage)
        db.session.commit()
        for stage in stages:
            db.session.refresh(stage)
    return stages


def set_enrolment(enrolment_id: int, **values) -> None:
    """Change an enrolment behind the app's back (its activity, its stage); committed."""
    with tenancy.system_scope():
        db.session.execute(update(Enrolment).where(Enrolment.id == enrolment_id).values(**values))
        db.session.commit()


def name_first_stages(world, title: str = "Incubator") -> None:
    """Give the world's untitled stages a title, so pages name them without their stage type plugin."""
    from hromada.modules.programmes.models import Stage

    with tenancy.system_scope():
        programme_ids = [side.programme.id for side in world.sides]
        db.session.execute(
            update(Stage).where(Stage.programme_id.in_(programme_ids), Stage.title == "").values(title=title)
        )
        db.session.commit()
