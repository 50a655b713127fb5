"""A change map: one problem, the change the community wants, levels of policy, stakeholders, tools, assumptions.

Its action plan is the core's (`plan_id`, made with `create_plan`), so actions,
owners, dates and progress work as everywhere else. Levels and tools are lists of
keys (`LEVELS`, `TOOLS`); assumptions are one per line.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from hromada.plugin_api import SharedWithOrganisation, TenantOwned, db
from hromada.plugin_api import lazy_gettext as _l

LEVELS = {"local": _l("Local"), "regional": _l("Regional"), "national": _l("National")}
TOOLS = {
    "campaign": _l("Campaign"), "petition": _l("Petition"), "movement": _l("Movement"),
    "association": _l("Association"), "party": _l("Party"), "elections": _l("Electoral participation"),
    "social_business": _l("Social business"), "advocacy": _l("Advocacy"), "media": _l("Media"),
}
KINDS = {"decision_maker": _l("Decision-maker"), "ally": _l("Ally"), "opponent": _l("Opponent"),
         "affected": _l("Affected")}


class ChangeMap(TenantOwned, db.Model):
    __tablename__ = "civic_change_maps"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("civic_problems.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    goal: Mapped[str] = mapped_column(Text)
    levels: Mapped[list] = mapped_column(JSON, default=list)
    tools: Mapped[list] = mapped_column(JSON, default=list)
    assumptions: Mapped[str] = mapped_column(Text, default="")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("action_plans.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    @property
    def assumption_list(self) -> list[str]:
        return [line.strip() for line in (self.assumptions or "").splitlines() if line.strip()]


class Stakeholder(TenantOwned, db.Model):
    __tablename__ = "civic_stakeholders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "map_id", "name"),
        CheckConstraint("influence BETWEEN 1 AND 5 AND interest BETWEEN 1 AND 5", name="scores_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("civic_change_maps.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    influence: Mapped[int] = mapped_column(Integer)
    interest: Mapped[int] = mapped_column(Integer)


class ChangeMapVersion(TenantOwned, db.Model):
    """A map frozen for a decision: its content as data and its text as members read it; never changed.

    Freezing the same content twice gives the same version. `adopted_at` is set when the
    community's decision about this exact version passes; every adopted version is kept.
    """

    __tablename__ = "civic_change_map_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "map_id", "number"),
                      UniqueConstraint("tenant_id", "map_id", "fingerprint"))

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("civic_change_maps.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    content: Mapped[dict] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MapComment(SharedWithOrganisation, db.Model):
    """A comment on a change map while it is a draft, by a member or by a mentor or facilitator of the map's
    programme (deck 002: the community manager helps build the maps). Shared with the programme's organisation,
    so that its staff can write one; read by the members and those staff only (`comments.readers`)."""

    __tablename__ = "civic_map_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("civic_change_maps.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MapShare(TenantOwned, db.Model):
    """An adopted map's summary that its community shares with the other communities of the map's programme.

    Holds exactly what the cohort reads, copied when a coordinator shares it or updates the share:
    the goal and levels of the adopted version they chose (`version_id`), and the action summary
    of the map's plan then (actions done and total, overdue actions, milestone titles with theirs).
    `shown_as` is the community's name when shared under it, None when anonymous: an anonymous
    share holds nothing that names the community. Withdrawing deletes the row.

    The cohort reads it only through `maps.sharing.cohort_shares`, the one explicit query that the
    table's row-level security policy lets a community's context answer for other communities:
    rows of the programmes that community is enrolled in (migration civ0007).
    """

    __tablename__ = "civic_map_shares"
    __table_args__ = (UniqueConstraint("tenant_id", "map_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("civic_change_maps.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("civic_change_map_versions.id", ondelete="CASCADE"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    shown_as: Mapped[str | None] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text)
    levels: Mapped[list] = mapped_column(JSON, default=list)
    # {"done": n, "total": n, "overdue": n, "milestones": [{"title": s, "done": n, "total": n}]}
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    shared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
