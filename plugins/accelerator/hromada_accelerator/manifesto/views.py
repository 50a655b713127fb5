"""Pages of the manifesto: the draft written together, its revisions and their differences, comments on
paragraphs, adoption by decision, and the public page a community may choose to have.

Who sees what: members read and write the draft; the mentors and facilitators of the
community's accelerator read it and comment; other staff read only an adopted
manifesto the community shared with their programme (an audited read). Nobody but
the community's coordinators publishes it, and only while they want it public.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hromada.plugin_api import (
    Community,
    can,
    db,
    latest_proposals_about,
    public,
    requires,
    tenancy_scope,
)
from hromada_accelerator import versions
from hromada_accelerator.manifesto import diff, revisions
from hromada_accelerator.manifesto.forms import CommentForm, EditForm
from hromada_accelerator.manifesto.models import ManifestoComment, ManifestoRevision
from hromada_accelerator.visibility import accelerator_programme, reads_drafts, staff_programmes

bp = Blueprint("accelerator_manifesto", __name__, template_folder="templates")
MANIFESTO = "/communities/<int:community_id>/manifesto"
HISTORY = 20


def _rule(action: str, view, methods=("GET",)):
    return {"view_func": requires(action, community="community_id")(view), "methods": list(methods)}


def _back(community_id: int):
    return redirect(url_for("accelerator_manifesto.manifesto", community_id=community_id))


def _draft_reader_or_404(community_id: int) -> None:
    if not reads_drafts(community_id):
        abort(404)


# --- The page -----------------------------------------------------------------------------------


def manifesto(community_id: int, *, form: EditForm | None = None, conflict=None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    programmes = staff_programmes(community_id)
    adopted = revisions.adopted(community_id, programmes)
    context = {"community": community, "adopted": adopted, "drafts": reads_drafts(community_id),
               "is_member": programmes is None, "render_diff": diff.render, "conflict": conflict,
               "can_publish": can("accelerator.manifesto_publish", community_id)}
    if adopted is not None:
        context["adoption"] = latest_proposals_about(revisions.SUBJECT, [adopted.id]).get(adopted.id)
    if context["drafts"]:
        history = db.session.scalars(
            select(ManifestoRevision).options(joinedload(ManifestoRevision.author))
            .where(ManifestoRevision.tenant_id == community_id)
            .order_by(ManifestoRevision.number.desc()).limit(HISTORY)
        ).all()
        latest = history[0] if history else None
        comments: dict[int, list[ManifestoComment]] = {}
        if latest is not None:
            for comment in db.session.scalars(
                select(ManifestoComment).options(joinedload(ManifestoComment.author))
                .where(ManifestoComment.revision_id == latest.id).order_by(ManifestoComment.id)
            ):
                comments.setdefault(comment.paragraph, []).append(comment)
        if form is None:
            form = EditForm(data={"text": latest.text if latest else "", "base": str(latest.id) if latest else ""})
        context.update(
            latest=latest, history=history, comments=comments, form=form, comment_form=CommentForm(),
            paragraphs=revisions.paragraphs(latest.text) if latest else [],
            decisions=latest_proposals_about(revisions.SUBJECT, [revision.id for revision in history]),
            can_write=can("accelerator.manifesto_write", community_id),
            can_comment=can("accelerator.manifesto_comment", community_id),
        )
    return render_template("accelerator_manifesto/manifesto.html", **context), status


bp.add_url_rule(MANIFESTO, "manifesto", **_rule("accelerator.manifesto_read", manifesto))


def revision(community_id: int, revision_id: int):
    """One revision as it was saved: what a proposal about it decides on."""
    community = db.get_or_404(Community, community_id)
    item = versions.readable_or_404(ManifestoRevision, revisions.SUBJECT, community_id, revision_id,
                                    drafts_for_staff=True)
    return render_template("accelerator_manifesto/revision.html", community=community, revision=item)


bp.add_url_rule(MANIFESTO + "/revisions/<int:revision_id>", "revision",
                **_rule("accelerator.manifesto_read", revision))


def compare(community_id: int):
    """The difference, by words, between two revisions (by default the latest and the one before it)."""
    _draft_reader_or_404(community_id)
    community = db.get_or_404(Community, community_id)
    numbers = [request.args.get("from", type=int), request.args.get("to", type=int)]
    found = {item.number: item for item in db.session.scalars(
        select(ManifestoRevision).where(ManifestoRevision.tenant_id == community_id,
                                        ManifestoRevision.number.in_([n for n in numbers if n is not None])))}
    before, after = (found.get(number) for number in numbers)
    if before is None or after is None:
        abort(404)
    return render_template("accelerator_manifesto/compare.html", community=community, before=before, after=after,
                           difference=diff.render(diff.word_diff(before.text, after.text)))


bp.add_url_rule(MANIFESTO + "/compare", "compare", **_rule("accelerator.manifesto_read", compare))


# --- Writing ------------------------------------------------------------------------------------


def _revision_id(value: str | None) -> int | None:
    """The revision an edit started from, as the form sent it; anything but a plausible id is no revision."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and 0 < int(value) < 2**31 else None


def save(community_id: int):
    form = EditForm()
    if not form.validate_on_submit():
        return manifesto(community_id=community_id, form=form, status=422)
    text = form.text.data.replace("\r\n", "\n").strip()
    base = _revision_id(form.base.data)
    try:
        saved = revisions.save(community_id, text, base, current_user.id)
    except revisions.Conflict as conflict:
        # Nothing is overwritten: the member sees what changed meanwhile and merges it into their text.
        base_text = db.session.scalar(select(ManifestoRevision.text).where(ManifestoRevision.id == base)) or ""
        latest = conflict.latest
        form.base.data = str(latest.id)
        return manifesto(community_id=community_id, form=form, status=409, conflict={
            "latest": latest,
            "theirs": diff.word_diff(base_text, latest.text),
            "yours": diff.word_diff(latest.text, text),
        })
    flash(_("Saved as revision %(number)s.", number=saved.number) if saved else _("Nothing changed."))
    return _back(community_id)


bp.add_url_rule(MANIFESTO, "save", **_rule("accelerator.manifesto_write", save, ("POST",)))


def comment(community_id: int):
    _draft_reader_or_404(community_id)
    form = CommentForm()
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0])  # the field's own message ("Write your comment.")
        return _back(community_id)
    latest = revisions.latest_revision(community_id)
    on_latest = latest is not None and (form.revision.data or "") in ("", str(latest.id))
    if not on_latest or form.paragraph.data >= len(revisions.paragraphs(latest.text)):
        flash(_("The comment was not saved: write it on a paragraph of the latest revision."))
        return _back(community_id)
    # The mentor's or facilitator's comment is the community's row: written in its context, after the
    # check above that they read its draft (a staff request otherwise only reads a community).
    with tenancy_scope(tenant_id=community_id):
        db.session.add(ManifestoComment(tenant_id=community_id, revision_id=latest.id,
                                        paragraph=form.paragraph.data, body=form.body.data.strip(),
                                        author_id=current_user.id))
        db.session.commit()
    return redirect(url_for("accelerator_manifesto.manifesto", community_id=community_id,
                            _anchor=f"paragraph-{form.paragraph.data}"))


bp.add_url_rule(MANIFESTO + "/comments", "comment", **_rule("accelerator.manifesto_comment", comment, ("POST",)))


def propose(community_id: int):
    """Propose the latest revision for adoption, in the community's decisions."""
    latest = revisions.latest_revision(community_id)
    if latest is None:
        flash(_("Write the manifesto first."))
        return _back(community_id)
    return redirect(url_for("decisions.new", community_id=community_id, subject=revisions.SUBJECT,
                            subject_id=latest.id, programme=accelerator_programme(community_id)))


bp.add_url_rule(MANIFESTO + "/propose", "propose", **_rule("accelerator.manifesto_write", propose, ("POST",)))


# --- Publishing ----------------------------------------------------------------------------------


def publish(community_id: int):
    adopted = revisions.adopted(community_id)
    if adopted is None:
        flash(_("Only an adopted manifesto can be published."))
        return _back(community_id)
    revisions.publish(adopted)
    db.session.commit()
    flash(_("The manifesto is public now. Anyone with its address can read it."))
    return _back(community_id)


def unpublish(community_id: int):
    for item in db.session.scalars(select(ManifestoRevision).where(ManifestoRevision.tenant_id == community_id,
                                                                   ManifestoRevision.public_token.is_not(None))):
        item.public_token = None
    db.session.commit()
    flash(_("The manifesto is no longer public. Its address leads nowhere."))
    return _back(community_id)


bp.add_url_rule(MANIFESTO + "/publish", "publish", **_rule("accelerator.manifesto_publish", publish, ("POST",)))
bp.add_url_rule(MANIFESTO + "/unpublish", "unpublish",
                **_rule("accelerator.manifesto_publish", unpublish, ("POST",)))


@bp.route("/manifestos/<int:community_id>/<token>")
@public
def public_manifesto(community_id: int, token: str):
    """A published manifesto, for anyone with its address: the address itself is the permission."""
    with tenancy_scope(reader_tenants=frozenset({community_id})):
        item = db.session.scalars(select(ManifestoRevision).where(
            ManifestoRevision.tenant_id == community_id, ManifestoRevision.public_token == token,
            ManifestoRevision.adopted_at.is_not(None))).one_or_none()
        if item is None or len(token) < 20:
            abort(404)
        community = db.session.get(Community, community_id)
        return render_template("accelerator_manifesto/public.html", community=community, revision=item)
