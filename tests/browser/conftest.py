# Temporary, until the root conftest.py loads hromada.testing.browser through `pytest_plugins`.
from hromada.testing.browser import *  # noqa: F401,F403
