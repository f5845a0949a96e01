"""kpixl's one error hierarchy. Each is turned into one sentence and an exit code at the CLI
and into a message box inside Excel."""

from __future__ import annotations


class KpixlError(Exception):
    """Base of every error kpixl raises on purpose. ``str()`` is the sentence shown to users."""

    exit_code = 2


class WorkbookError(KpixlError):
    """The file cannot be used: unreadable, not a workbook, locked, unsafe, no indicator sheets."""


class WouldLoseDataError(WorkbookError):
    """Writing would lose a part of the workbook that cannot be carried through."""


class ExcelUnavailableError(KpixlError):
    """Excel or LibreOffice is needed for this and is not there."""
