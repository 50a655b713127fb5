"""A reviewer's pages: the applications assigned to them, the declaration of interests first, then the
application and the rubric. They see the other reviewers' scores only once they have submitted their own;
a reviewer who declared a conflict sees nothing more of the application."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.scholarships import forms, listing, operations, review
from hromada.modules.scholarships.labels import REVIEW_LABELS, STATUS_LABELS
from hromada.modules.scholarships.models import (
    Criterion,
    Recommendation,
    Review,
    ReviewStatus,
    ScholarshipApplication,
    ScholarshipCall,
)
from hromada.modules.scholarships.summary import weighted_total


def index(organisation_id: int):
    """The applications assigned to me, 50 a page, filtered by where my review stands."""
    form = forms.ReviewListForm(request.args)
    form.validate()
    status = form.status.data if form.status.data and not form.status.errors else None
    counts = listing.review_counts(organisation_id, current_user.id)
    page = listing.reviews_page(organisation_id, current_user.id, status=status, number=form.page_number,
                                counts=counts)
    days, labels = listing.Days(), listing.translated(REVIEW_LABELS)
    link = listing.row_links("scholarships.review", "review_id", organisation_id=organisation_id)
    title = _("%(call)s: application %(number)d")  # translated once, filled in for each row
    rows = [(link(row.id), title % {"call": row.title, "number": row.application_id}, labels[row.status.value],
             days(row.submitted_at), days(row.created_at), days(row.closes_on)) for row in page.rows]
    return render_template("scholarships/reviews.html", organisation_id=organisation_id, page=page, rows=rows,
                           form=form, query=form.query(), counts=counts, review_labels=labels), \
        (400 if form.errors else 200)


def _review_or_404(organisation_id: int, review_id: int) -> Review:
    """The person's own review only: another reviewer's is not found."""
    found = db.session.scalar(select(Review).where(
        Review.id == review_id, Review.organisation_id == organisation_id, Review.reviewer_id == current_user.id))
    if found is None:
        abort(404)
    return found


def show(organisation_id: int, review_id: int, declaration_form=None, review_form=None, status: int = 200):
    mine = _review_or_404(organisation_id, review_id)
    call = db.session.get(ScholarshipCall, mine.call_id)
    context = {"organisation_id": organisation_id, "review": mine, "call": call, "review_labels": REVIEW_LABELS,
               "recommendation_labels": forms.RECOMMENDATION_LABELS}
    if mine.status in (ReviewStatus.ASSIGNED, ReviewStatus.RECUSED):
        # Before the declaration, and after a conflict: nothing of the application, not even the community's name.
        return render_template("scholarships/review.html", **context,
                               declaration_form=declaration_form or forms.DeclarationForm(formdata=None)), status
    application = db.session.get(ScholarshipApplication, mine.application_id)
    record("scholarships.read_application", organisation_id=organisation_id, call_id=call.id,
           application_id=application.id, community_id=application.tenant_id)
    db.session.commit()
    tenancy.allow_reading([application.tenant_id])
    name = db.session.scalar(select(Community.name).where(Community.id == application.tenant_id))
    criteria = db.session.scalars(select(Criterion).where(Criterion.call_id == call.id)
                                  .order_by(Criterion.position)).all()
    others = []
    if mine.status == ReviewStatus.SUBMITTED:  # blind until then
        others = db.session.execute(
            select(Review, User).join(User, User.id == Review.reviewer_id)
            .where(Review.application_id == application.id, Review.id != mine.id,
                   Review.status == ReviewStatus.SUBMITTED).order_by(Review.id)).all()
    return render_template(
        "scholarships/review.html", **context, application=application, name=name, criteria=criteria,
        frozen=questionnaires.versions_of(call.questionnaire_id).get(application.questions_version, []),
        status_labels=STATUS_LABELS, others=others, weighted_total=weighted_total,
        review_form=review_form or forms.review_form_class(criteria)(formdata=None),
    ), status


def declare(organisation_id: int, review_id: int):
    mine = _review_or_404(organisation_id, review_id)
    form = forms.DeclarationForm()
    if not form.validate():
        return show(organisation_id, review_id, declaration_form=form, status=400)
    if review.declare(mine, conflict=form.conflict.data == "yes", actor=current_user):
        flash(_("You are recused from this application.") if form.conflict.data == "yes"
              else _("Thank you: you can now read and score the application."), "info")
    return redirect(url_for("scholarships.review", organisation_id=organisation_id, review_id=review_id))


def score(organisation_id: int, review_id: int):
    mine = _review_or_404(organisation_id, review_id)
    if mine.status != ReviewStatus.REVIEWING:
        flash(review.NOT_REVIEWABLE, "error")
        return redirect(url_for("scholarships.review", organisation_id=organisation_id, review_id=review_id))
    criteria = db.session.scalars(select(Criterion).where(Criterion.call_id == mine.call_id)
                                  .order_by(Criterion.position)).all()
    form = forms.review_form_class(criteria)()
    if not form.validate():
        return show(organisation_id, review_id, review_form=form, status=400)
    scores = {str(criterion.id): {"score": int(form[f"score_{criterion.id}"].data),
                                  "comment": (form[f"comment_{criterion.id}"].data or "").strip()}
              for criterion in criteria}
    application = db.session.get(ScholarshipApplication, mine.application_id)
    try:
        review.submit(mine, application, scores=scores, recommendation=Recommendation(form.recommendation.data),
                      comment=(form.comment.data or "").strip(), actor=current_user)
    except operations.Refused as refused:
        flash(refused.message, "error")
    else:
        flash(_("Your review is submitted. The other reviewers' scores are shown below."), "info")
    return redirect(url_for("scholarships.review", organisation_id=organisation_id, review_id=review_id))
