"""Comments on a change map while it is a draft: by its community's members and by the mentors and facilitators
of the map's programme (deck 002: the community manager helps build the maps; issue 14: they "may comment").

A draft is a map not adopted yet, or changed since its last adopted version (the
change will be proposed again). Comments stay after adoption, read by the same
people: members, and the programme's mentors and facilitators (`reads_drafts`);
never by operators, nor by staff of another programme.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import case, select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from hromada.plugin_api import Programme, User, act_for_organisation, current_principal, db
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.maps import versions
from hromada_civic_course.maps.models import ChangeMap, ChangeMapVersion, MapComment
from hromada_civic_course.visibility import reads_drafts


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), filters=[lambda value: value.strip() if isinstance(value, str) else value],
                         validators=[DataRequired(message=_l("Write the comment.")),
                                     Length(max=3000, message=_l("At most %(max)d characters.", max=3000))])


def in_draft(change_map: ChangeMap, adopted: list[ChangeMapVersion]) -> bool:
    """Not adopted yet, or changed since its latest adopted version (`adopted`, the latest first)."""
    if not adopted:
        return True
    return versions.fingerprint(versions.content_of(change_map)) != adopted[0].fingerprint


def readable(community_id: int, change_map: ChangeMap) -> bool:
    return change_map.programme_id is not None and reads_drafts(community_id)


def comments_of(change_map: ChangeMap) -> list[tuple[MapComment, str | None]]:
    """[(comment, its author's pseudonym)], the oldest first: one query."""
    return db.session.execute(
        # No handle for a person who deleted their account: the page says "a former member".
        select(MapComment, case((User.deleted_at.is_(None), User.handle), else_=None))
        .outerjoin(User, User.id == MapComment.author_id)
        .where(MapComment.map_id == change_map.id, MapComment.tenant_id == change_map.tenant_id)
        .order_by(MapComment.created_at, MapComment.id)).all()


def add_comment(community_id: int, map_id: int, find_map, page):
    """Add a comment (`find_map` finds the map as the person may read it, `page` renders the map with a form)."""
    change_map = find_map(community_id, map_id)
    if not readable(community_id, change_map):
        abort(404)
    adopted = db.session.scalars(select(ChangeMapVersion).where(
        ChangeMapVersion.map_id == change_map.id, ChangeMapVersion.adopted_at.is_not(None))
        .order_by(ChangeMapVersion.adopted_at.desc(), ChangeMapVersion.id.desc())).all()
    back = redirect(url_for("civic_maps.change_map", community_id=community_id, map_id=change_map.id) + "#comments")
    if not in_draft(change_map, adopted):
        flash(_("The map is adopted as it is: comment when it is changed again, or open a proposal."), "error")
        return back
    form = CommentForm(prefix="comment")
    if not form.validate_on_submit():
        return page(community_id, map_id, forms={"comment": form}, status=422)
    organisation_id = db.session.scalar(select(Programme.organisation_id).where(
        Programme.id == change_map.programme_id))
    if community_id not in current_principal().memberships:
        act_for_organisation(organisation_id)  # staff write the rows the community shares with their organisation
    db.session.add(MapComment(tenant_id=community_id, organisation_id=organisation_id, map_id=change_map.id,
                              author_id=current_user.id, body=form.body.data))
    db.session.commit()
    flash(_("The comment is added."))
    return back
