"""The core's objects that plugins' tests build on, so that those tests import only
`hromada.plugin_api` and `hromada.testing` (the plugin boundary holds in tests too)."""

from hromada.modules.communities.services import create_community_with_coordinator
from hromada.modules.consultations.testing import add_consultation, enrolment_of

__all__ = ["add_consultation", "create_community_with_coordinator", "enrolment_of"]
