"""Engine tests need no Django.  Under ``-p no:django`` the project-wide autouse fixture that needs
Django settings is replaced by a no-op, and Django-only test modules in this folder are not collected."""

from __future__ import annotations

from pathlib import Path

import pytest


def _django_active(config: pytest.Config) -> bool:
    return bool(config.pluginmanager.hasplugin("django"))


DJANGO_MODULES = ("test_shell.py", "test_evaluate_api.py", "test_command.py")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.name in DJANGO_MODULES and not _django_active(config):
        return True  # the Django shell's tests; they run in the full (pytest-django) suite
    return None


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Same name as the root conftest fixture: keep its effect when Django is on, skip it when off."""
    if _django_active(request.config):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
