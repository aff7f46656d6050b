"""Fixtures every Python test suite here may use (each service's conftest defines `database_url`)."""

pytest_plugins = ["registry_testing.fixtures"]
