"""The ribbon's RunPython entry points: Calculate RAG, Check data and Export PDF.

Each is a thin wrapper over the pure functions the headless path uses: read the book through the
port (one call per sheet), ``calculate``, plan, ``port.apply``, then say what happened in a
message box.
Nothing reaches Excel as a traceback: kpixl's own errors become a message box, anything
unexpected also writes ``kpixl.log`` beside the workbook (when the workbook has a folder).

Excel starts a fresh Python for every click, so importing this module stays cheap: it must not
import openpyxl, pandas or numpy (``tests/xl/test_import_cost.py``).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import xlwings as xw

from kpixl.actions import CALCULATE_RAG, CHECK_DATA, EXPORT_PDF
from kpixl.core.models import Problem, Severity
from kpixl.errors import KpixlError
from kpixl.workbook import contract, port
from kpixl.workbook.calculate import Outcome, calculate
from kpixl.workbook.planner import full_plan, plan_computed
from kpixl.workbook.xlwings_io import LiveBook

__all__ = [
    "LOG_NAME",
    "alert_mode",
    "calculate_rag",
    "check_data",
    "export_pdf",
    "problems_message",
]

LOG_NAME = "kpixl.log"
SHOWN_PROBLEMS = 5
"""How many problems a message box lists before "... and N more"."""

_Work = Callable[[xw.Book], tuple[str, str]]


def calculate_rag(book: xw.Book | None = None) -> None:
    """Rate every indicator, write the computed columns and the Summary and Dashboard sheets."""
    _run(book, CALCULATE_RAG.label, _calculate)


def check_data(book: xw.Book | None = None) -> None:
    """Write the computed columns (with the Checks column) and list the data problems."""
    _run(book, CHECK_DATA.label, _check)


def export_pdf(book: xw.Book | None = None) -> None:
    """Calculate, then save the Summary and Dashboard as a PDF beside the workbook (Windows)."""
    _run(book, EXPORT_PDF.label, _export)


def _calculate(book: xw.Book) -> tuple[str, str]:
    outcome = _outcome(book)
    port.apply(LiveBook(book), full_plan(outcome))
    done = (
        f"Rated {len(outcome.evaluation.results)} indicators; the {contract.SUMMARY_SHEET} and "
        f"{contract.DASHBOARD_SHEET} sheets are up to date."
    )
    return _with_problems(done, outcome)


def _check(book: xw.Book) -> tuple[str, str]:
    outcome = _outcome(book)
    port.apply(LiveBook(book), plan_computed(outcome))
    done = f"Checked {len(outcome.evaluation.results)} indicators."
    return _with_problems(done, outcome)


def _export(book: xw.Book) -> tuple[str, str]:
    if sys.platform != "win32" or book.app.engine.name != "excel":
        return (
            "info",
            f"{EXPORT_PDF.label} needs Excel for Windows. On this computer, save the workbook "
            f"and run 'kpixl pdf \"{book.name}\"' in a terminal to make the PDF.",
        )
    mode, text = _calculate(book)
    target = Path(book.fullname).with_suffix(".pdf")
    book.to_pdf(target, include=[contract.SUMMARY_SHEET, contract.DASHBOARD_SHEET])
    return mode, f"{text}\n\nSaved the PDF as {target}."


def _outcome(book: xw.Book) -> Outcome:
    return calculate(LiveBook(book).read_grids(), source=book.name)


def _with_problems(done: str, outcome: Outcome) -> tuple[str, str]:
    if not outcome.problems:
        return "info", f"{done} No data problems found."
    return alert_mode(outcome.problems), f"{done}\n\n{problems_message(outcome.problems)}"


def alert_mode(problems: tuple[Problem, ...]) -> str:
    """The message box icon: critical when a problem is an error, information for warnings."""
    errors = any(problem.severity is Severity.ERROR for problem in problems)
    return "critical" if errors else "info"


def problems_message(problems: tuple[Problem, ...], shown: int = SHOWN_PROBLEMS) -> str:
    """The count, then the first few problems as ``Sheet!Cell (Ref): sentence``, the Ref
    said once (a sentence that starts ``FN07: `` loses that start)."""
    noun = "problem" if len(problems) == 1 else "problems"
    lines = [
        f"{len(problems)} data {noun} found; each is described in the Checks column of its row:"
    ]
    for problem in problems[:shown]:
        where = problem.location or "Workbook"
        ref = f" ({problem.ref})" if problem.ref else ""
        sentence = problem.message.removeprefix(f"{problem.ref}: ") if ref else problem.message
        lines.append(f"- {where}{ref}: {sentence}")
    if len(problems) > shown:
        lines.append(f"... and {len(problems) - shown} more.")
    return "\n".join(lines)


def _run(book: xw.Book | None, action: str, work: _Work) -> None:
    """Do ``work`` on the calling book and report the result, never raising into Excel."""
    book = book if book is not None else xw.Book.caller()
    title = f"kpixl: {action}"
    try:
        with _quiet(book):
            mode, text = work(book)
    except KpixlError as exc:
        mode, text = "critical", f"{action} stopped: {exc}"
    except Exception as exc:  # the message box is the last line of defence
        log = _write_log(book, action)
        where = f"The details are in {log}; " if log else ""
        mode, text = (
            "critical",
            f"{action} stopped because of an unexpected error ({type(exc).__name__}: {exc}). "
            f"{where}send them to whoever looks after kpixl. Cells written before the error "
            "keep their new values; press the button again once the problem is fixed.",
        )
    book.app.alert(text, title=title, mode=mode)


@contextmanager
def _quiet(book: xw.Book) -> Iterator[None]:
    """In desktop Excel, no screen redraws and no recalculation (of KPI_ functions, say)
    while kpixl writes; both are restored afterwards, whatever happens."""
    if book.app.engine.name != "excel":
        yield
        return
    app = book.app
    screen, calculation = app.screen_updating, app.calculation
    app.screen_updating, app.calculation = False, "manual"
    try:
        yield
    finally:
        app.calculation, app.screen_updating = calculation, screen


def _write_log(book: xw.Book, action: str) -> Path | None:
    """Append the current traceback to ``kpixl.log`` beside the workbook, if it has a folder."""
    fullname = Path(book.fullname)
    if not fullname.is_absolute() or not fullname.parent.is_dir():
        return None
    log = fullname.parent / LOG_NAME
    try:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} {action} on {book.name}\n")
            handle.write(traceback.format_exc())
            handle.write("\n")
    except OSError:
        return None
    return log
