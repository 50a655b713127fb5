"""The incubator's tables in a community's export: its security audits and their findings.

The findings are sealed under the community's key, and its coordinators read them on the
audit's page: the export writes them unsealed, as the page shows them.
"""

from hromada.plugin_api import ConfidentialError, ExportTable, unseal
from hromada_incubator.audit.models import FINDING_PURPOSE, RECOMMENDATION_PURPOSE, AuditFinding, SecurityAudit


def _unsealed(purpose: str):
    def decode(blob, scope) -> str:
        try:
            return unseal(bytes(blob), purpose, tenant_id=scope.community_id)
        except ConfidentialError:
            return ""  # the community's key was destroyed: nobody can read it any more

    return decode


EXPORT_TABLES = [
    ExportTable(SecurityAudit),
    ExportTable(AuditFinding, decoded={"finding": _unsealed(FINDING_PURPOSE),
                                       "recommendation": _unsealed(RECOMMENDATION_PURPOSE)}),
]
