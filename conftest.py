# Fixtures for the core's and the plugins' tests: hromada/testing/fixtures.py, browser.py and logs.py.
pytest_plugins = ["hromada.testing.fixtures", "hromada.testing.browser", "hromada.testing.logs"]
