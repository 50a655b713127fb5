# Fixtures for the core's and the plugins' tests: hromada/testing/fixtures.py and browser.py.
pytest_plugins = ["hromada.testing.fixtures", "hromada.testing.browser"]
