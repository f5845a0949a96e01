"""xlwings' remote engine for the tests in this folder (tests only: PolyForm Noncommercial).

``XLWINGS_LICENSE_KEY=noncommercial`` is set here, at import time, before this folder imports
xlwings. xlwings validates the key when it is first imported; when another test module imported
it earlier, the remote engine is registered now. Tests marked ``remote`` are skipped cleanly when
the engine cannot be started.
"""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest  # noqa: E402
import xlwings as xw  # noqa: E402


def _start_remote_engine() -> str | None:
    """None when ``xw.Book(json=...)`` works, otherwise why it does not."""
    try:
        if "remote" not in [engine.name for engine in xw.engines]:
            from xlwings.main import Engine
            from xlwings.pro import _xlremote

            xw.engines.add(Engine(impl=_xlremote.engine))
        book = xw.Book(
            json={
                "client": "Office.js",
                "version": xw.__version__,
                "book": {"name": "probe.xlsx", "active_sheet_index": 0, "selection": "A1"},
                "names": [],
                "sheets": [{"name": "Sheet1", "values": [[1]], "pictures": [], "tables": []}],
            }
        )
        book.close()
    except Exception as exc:  # any failure means: no remote engine here
        return f"xlwings' remote engine is unavailable ({type(exc).__name__}: {exc})"
    return None


REMOTE_UNAVAILABLE = _start_remote_engine()


def pytest_runtest_setup(item: pytest.Item) -> None:
    if REMOTE_UNAVAILABLE and "remote" in item.keywords:
        pytest.skip(REMOTE_UNAVAILABLE)
