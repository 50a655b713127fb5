"""A community's own pages: the list of one's communities, the overview, the members."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hromada import authz, tenancy
from hromada.extensions import db
from hromada.modules.accounts import invitations
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, MemberInvitation
from hromada.modules.audit.log import record
from hromada.modules.communities.forms import MemberInvitationForm
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.communities.visibility import enrolments_in_view
from hromada.plugins import collect


def my_communities():
    principal = authz.principal()
    memberships = principal.memberships
    if not memberships and principal.staff:
        return redirect(url_for("progress.staff_communities"))  # staff support communities, not belong
    if not memberships and principal.is_admin:
        return redirect(url_for("organisations.admin_organisations"))
    communities = []
    if memberships:
        # A person reads the names of the communities they belong to, and no others.
        with tenancy.scope(reader_tenants=frozenset(memberships)):
            communities = db.session.scalars(
                select(Community).where(Community.id.in_(memberships)).order_by(Community.name)
            ).all()
    return render_template("communities/mine.html", communities=communities, memberships=memberships)


def overview(community_id: int):
    community = db.get_or_404(Community, community_id)
    enrolments = db.session.scalars(
        select(Enrolment)
        .options(joinedload(Enrolment.programme), joinedload(Enrolment.current_stage))
        .where(enrolments_in_view(community.id))
    ).all()
    return render_template(
        "communities/overview.html",
        community=community,
        enrolments=enrolments,
        my_role=authz.principal().memberships.get(community.id),
        stage_types=current_app.extensions["hromada.stage_types"],
        can_see_members=authz.can("community.view_members", community.id),
        links=community_links(community.id),
    )


def community_links(community_id: int) -> list[tuple[str, str]]:
    """(label, url) of the pages modules add for the community that this person may open."""
    links = collect(current_app.extensions["hromada.plugins"], "hromada_community_links", community_id=community_id)
    return [
        (link.label, url_for(link.endpoint, community_id=community_id))
        for link in sorted(links, key=lambda link: link.order)
        if authz.can(getattr(current_app.view_functions[link.endpoint], "hromada_access", "nobody"), community_id)
    ]


def members(community_id: int, form: MemberInvitationForm | None = None, link: str | None = None):
    community = db.get_or_404(Community, community_id)
    memberships = db.session.scalars(
        select(CommunityMembership)
        .options(joinedload(CommunityMembership.user))
        .where(CommunityMembership.tenant_id == community.id)
        .order_by(CommunityMembership.role, CommunityMembership.id)
    ).all()
    can_invite = authz.can("community.invite_members", community.id)
    pending = []
    if can_invite:
        pending = db.session.scalars(
            select(MemberInvitation)
            .where(MemberInvitation.tenant_id == community.id, MemberInvitation.used_at.is_(None))
            .order_by(MemberInvitation.created_at.desc())
        ).all()
    return render_template(
        "communities/members.html", community=community, memberships=memberships, can_invite=can_invite,
        form=form or MemberInvitationForm(formdata=None), pending=pending, link=link,
    )


def invite_member(community_id: int):
    form = MemberInvitationForm()
    if not form.validate_on_submit():
        return members(community_id, form=form), 400
    role = CommunityRole(form.role.data)
    _, token = invitations.invite_member(role=role, invited_by=current_user, note=(form.note.data or "").strip())
    record("invitation_created", community_id=community_id, role=role.value)
    db.session.commit()
    link = url_for("accounts.accept_member_invitation", community_id=community_id, token=token, _external=True)
    return members(community_id, link=link)
