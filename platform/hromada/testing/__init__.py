"""Pytest fixtures for Hromada and its plugins, on real SQLite, PostgreSQL and Redis.

A plugin's tests use them with `pytest_plugins = ["hromada.testing.fixtures"]`
(the repository's root conftest.py does this for every test here).
"""
