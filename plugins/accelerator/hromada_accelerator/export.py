"""The accelerator's tables in a community's export (charter, strategy, manifesto, coordination meeting)."""

from hromada.plugin_api import ExportTable
from hromada_accelerator.charter import models as charter
from hromada_accelerator.manifesto.models import ManifestoComment, ManifestoRevision
from hromada_accelerator.meeting.models import CoordinationMeeting
from hromada_accelerator.strategy import models as strategy

EXPORT_TABLES = [
    ExportTable(charter.CharterValue), ExportTable(charter.CharterPrinciple), ExportTable(charter.CharterRule),
    ExportTable(charter.CharterRuleValue), ExportTable(charter.DecidingRule), ExportTable(charter.CharterVersion),
    # The link of a published manifesto is a secret the community shares as it chooses.
    ExportTable(ManifestoRevision, leave_out=("public_token",)), ExportTable(ManifestoComment),
    ExportTable(strategy.StrategyDraft), ExportTable(strategy.StrategicGoal), ExportTable(strategy.StrategyComment),
    ExportTable(strategy.StrategyVersion),
    ExportTable(CoordinationMeeting),
]
