from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from hromada.extensions import db
from hromada.i18n import LANGUAGE_NAMES
from hromada.navigation import safe_next
from hromada.modules.programmes.models import Programme


def index():
    programmes = db.session.scalars(
        select(Programme)
        .options(joinedload(Programme.organisation), selectinload(Programme.stages))
        .where(Programme.published_at.is_not(None))  # drafts are their organisation's alone
        .order_by(Programme.title)
    ).all()
    return render_template(
        "home/index.html",
        programmes=programmes,
        stage_types=current_app.extensions["hromada.stage_types"],
    )


def choose_language():
    language = request.form.get("language", "")
    if language not in LANGUAGE_NAMES:
        flash(_("That language is not available."), "error")
    else:
        session["language"] = language  # this session's: the account's own is set on the account page
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))
