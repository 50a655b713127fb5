# Fixtures for the core's and the plugins' tests: hromada/testing/fixtures.py.
pytest_plugins = ["hromada.testing.fixtures"]
