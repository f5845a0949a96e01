"""The package writer is selectable (``KPIXL_ENGINE=package``), not yet the default: these
tests run every ``calculate_file`` through it unless they name an engine themselves."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _package_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPIXL_ENGINE", "package")
