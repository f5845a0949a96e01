"""Shared fixtures: LibreOffice availability (required in CI, skipped cleanly elsewhere)."""

from __future__ import annotations

import os
import shutil

import pytest

# Before any test module imports openpyxl: the choice kpixl makes (see kpixl/__init__.py).
os.environ.setdefault("OPENPYXL_LXML", "False")


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _soffice():
        return
    if os.environ.get("KPIXL_REQUIRE_LIBREOFFICE"):
        raise pytest.UsageError("KPIXL_REQUIRE_LIBREOFFICE is set but LibreOffice is not installed")
    skip = pytest.mark.skip(reason="LibreOffice (soffice) is not installed")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)
