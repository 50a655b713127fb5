"""Pages of the cohort's shared change maps: sharing and withdrawing a map's summary, and reading the cohort's.

A coordinator shares from the map's page (`map_page` shows the form); members of every
community of the programme read the summaries on the cohort page, linked from their
community's page. What the summaries hold and how the cohort reads them: `maps.sharing`.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hromada.plugin_api import Community, db, requested_page, requires
from hromada_civic_course.access import COHORT, SHARE
from hromada_civic_course.forms import ShareForm
from hromada_civic_course.maps import sharing, versions
from hromada_civic_course.maps.models import LEVELS, ChangeMap, ChangeMapVersion

bp = Blueprint("civic_cohort", __name__, template_folder="templates")
MAP = "/communities/<int:community_id>/civic-course/maps/<int:map_id>"


def _rule(action: str, view, methods=("GET",)):
    return {"view_func": requires(action, community="community_id")(view), "methods": list(methods)}


def _map(community_id: int, map_id: int) -> ChangeMap:
    found = db.session.scalars(select(ChangeMap).where(ChangeMap.id == map_id,
                                                       ChangeMap.tenant_id == community_id)).first()
    if found is None:
        abort(404)
    return found


def _back(community_id: int, map_id: int):
    return redirect(url_for("civic_maps.change_map", community_id=community_id, map_id=map_id) + "#cohort")


def share_map(community_id: int, map_id: int):
    from hromada_civic_course.maps.views import map_page

    change_map = _map(community_id, map_id)
    form = ShareForm(prefix="share")
    if not form.validate_on_submit():
        return map_page(community_id, map_id, forms={"share": form}, status=422)
    latest = versions.latest_adopted([change_map.id]).get(change_map.id)
    # The version the coordinator was shown, adopted and still the latest: otherwise they choose again.
    if latest is None or latest.id != form.version.data:
        form.version.errors = [_("A newer version of the map was adopted meanwhile: read it and choose again.")
                               if latest else _("Only an adopted change map can be shared.")]
        return map_page(community_id, map_id, forms={"share": form}, status=422)
    sharing.share(change_map, latest, named=form.shown_as.data == "named")
    try:
        db.session.commit()
    except IntegrityError:  # shared twice at the same instant: the first share stands
        db.session.rollback()
    flash(_("The map's summary is shared with the other communities of the programme."))
    return _back(community_id, map_id)


def withdraw_share(community_id: int, map_id: int):
    change_map = _map(community_id, map_id)
    if sharing.withdraw(change_map):
        db.session.commit()
        flash(_("The summary is withdrawn: the other communities no longer see it."))
    return _back(community_id, map_id)


bp.add_url_rule(MAP + "/share", "share", **_rule(SHARE, share_map, ("POST",)))
bp.add_url_rule(MAP + "/share/withdraw", "withdraw", **_rule(SHARE, withdraw_share, ("POST",)))


def cohort_page(community_id: int):
    community = db.get_or_404(Community, community_id)
    programmes = sharing.cohort_programmes(community_id)
    page = sharing.cohort_shares(community_id, requested_page())
    db.session.commit()  # the reading's audit entry
    by_programme = {programme.id: [] for programme in programmes}
    for row in page.rows:
        if row.programme_id in by_programme:
            by_programme[row.programme_id].append(row)
    # A page holds the shares of one programme, or the end of one and the start of the next: the others'
    # sections are left out rather than shown as empty.
    shown = [programme for programme in programmes if by_programme[programme.id] or page.pages == 1]
    return render_template("civic_maps/cohort.html", community=community, programmes=shown,
                           by_programme=by_programme, levels=LEVELS, page=page)


bp.add_url_rule("/communities/<int:community_id>/civic-course/cohort-maps", "cohort", **_rule(COHORT, cohort_page))


def share_context(community_id: int, change_map: ChangeMap, adopted: list[ChangeMapVersion], forms: dict) -> dict:
    """What the map's page shows of its share: the share itself, and the coordinator's form."""
    from hromada.plugin_api import can

    found = sharing.share_of(change_map)
    latest = versions.latest_adopted([change_map.id]).get(change_map.id) if adopted else None
    posted = forms.get("share")
    context = {"share": found, "shared_version": None, "latest_adopted": latest,
               "share_refused": posted.version.errors if posted is not None else []}
    if found is not None:
        context["shared_version"] = next((version for version in adopted if version.id == found.version_id), None)
    if latest is not None and change_map.programme_id is not None and can(SHARE, community_id):
        form = forms.get("share") or ShareForm(prefix="share",
                                                shown_as="named" if found is None or found.shown_as else "anonymous")
        context["share_form"] = form
    return context
