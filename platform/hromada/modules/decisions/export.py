"""A community's decisions in its export: positions only as the coordinator may read them.

A member reads the positions on a proposal once it has closed or once they have taken
a position on it (`controllers.proposal`); the export follows the same rule.
"""

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from hromada.contributions import ExportTable
from hromada.modules.decisions.models import Position, Proposal


def _readable_positions(scope):
    mine = aliased(Position)  # not correlated with the positions being exported
    own = select(mine.proposal_id).where(mine.user_id == scope.reader_id)
    closed = select(Proposal.id).where(Proposal.tenant_id == scope.community_id, Proposal.closed_at.is_not(None))
    return or_(Position.proposal_id.in_(own), Position.proposal_id.in_(closed))


EXPORT_TABLES = [ExportTable(Proposal), ExportTable(Position, readable=_readable_positions)]
