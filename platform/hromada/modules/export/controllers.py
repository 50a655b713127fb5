"""The coordinator's page about the community's data, and the download itself."""

from __future__ import annotations

from flask import Response, current_app, render_template, stream_with_context
from flask_login import current_user

from hromada.clock import today
from hromada.contributions import ExportScope
from hromada.extensions import db
from hromada.modules.audit.log import record as record_audit
from hromada.modules.communities.models import Community
from hromada.modules.export.archive import contents, zip_stream


def _contents(community: Community):
    tables = current_app.extensions["hromada.export_tables"]
    return contents(tables, ExportScope(community_id=community.id, reader_id=current_user.id), community.name)


def index(community_id: int):
    community = db.get_or_404(Community, community_id)
    return render_template("export/index.html", community=community, archive=_contents(community))


def download(community_id: int):
    community = db.get_or_404(Community, community_id)
    archive = _contents(community)
    # Recorded before the first byte leaves: an export cut short was still an export. No file name,
    # no table list: the entry says who took the community's data, and when.
    record_audit("export.downloaded", community_id=community.id, tables=len(archive.exported))
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    filename = f"community-{community.id}-{today().isoformat()}.zip"
    return Response(
        stream_with_context(zip_stream(archive)),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
