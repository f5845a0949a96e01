"""One measurement, run in a fresh subprocess: ``python -m benchmarks.bench KIND ARG...``.

Prints one JSON line: ``seconds`` (timed inside, around the call only), ``import_seconds``,
``rss_before_kb`` (after imports) and ``peak_rss_kb`` (VmHWM: the whole process's peak), plus
what the kind adds. Exits 1 with the reason on stderr when the measurement fails, 3 when it
is skipped (cannot run here by design).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import Unavailable

MACRO_SUFFIXES = (".xlsm", ".xltm")
SKIPPED = 3
"""Exit status of a measurement that cannot run on this machine by design (not a failure)."""
Measure = Callable[[list[str]], dict[str, Any]]


def memory_kb(field: str) -> int:
    """``VmHWM`` / ``VmRSS`` of this process in KiB (ru_maxrss where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def floor(args: list[str]) -> dict[str, Any]:
    """Bare openpyxl ``load_workbook`` + ``save``, with the load options kpixl uses."""
    source, out = Path(args[0]), Path(args[1])
    imported, _ = _timed(lambda: __import__("openpyxl"))
    from openpyxl import load_workbook

    macro = source.suffix.lower() in MACRO_SUFFIXES
    rss = memory_kb("VmRSS")

    def round_trip() -> None:
        workbook = load_workbook(
            source, keep_vba=macro, rich_text=True, keep_links=True, data_only=False
        )
        workbook.save(out)

    seconds, _ = _timed(round_trip)
    return {"seconds": seconds, "import_seconds": imported, "rss_before_kb": rss}


def _kpixl_imported(module: str) -> float:
    """Import ``module``; its import time, in seconds."""
    seconds, _ = _timed(lambda: __import__(module))
    return seconds


def calculate(args: list[str]) -> dict[str, Any]:
    """``kpixl calculate IN -o OUT`` as the CLI runs it: ``headless.calculate_file``."""
    source, out = Path(args[0]), Path(args[1])
    imported = _kpixl_imported("kpixl.headless")
    from kpixl.headless import calculate_file

    rss = memory_kb("VmRSS")
    seconds, written = _timed(lambda: calculate_file(source, out))
    problems = len(written.outcome.problems)
    return {
        "seconds": seconds,
        "import_seconds": imported,
        "rss_before_kb": rss,
        "problems": problems,
    }


def check(args: list[str]) -> dict[str, Any]:
    """``kpixl check IN``: read and rate, write nothing."""
    imported = _kpixl_imported("kpixl.headless")
    from kpixl.headless import check_file

    rss = memory_kb("VmRSS")
    seconds, outcome = _timed(lambda: check_file(Path(args[0])))
    return {
        "seconds": seconds,
        "import_seconds": imported,
        "rss_before_kb": rss,
        "problems": len(outcome.problems),
    }


def output_floor(args: list[str]) -> dict[str, Any]:
    """The floor for kpixl's output: load IN + save a workbook as big as kpixl's OUT.

    Loading OUT (kpixl's result, with its Summary, Dashboard and computed columns) is not
    timed; saving it is, as kpixl has to write that much whatever it does.
    """
    source, result, out = Path(args[0]), Path(args[1]), Path(args[2])
    from openpyxl import load_workbook

    options = {"rich_text": True, "keep_links": True, "data_only": False}
    macro = source.suffix.lower() in MACRO_SUFFIXES
    loading, _ = _timed(lambda: load_workbook(source, keep_vba=macro, **options))
    written = load_workbook(result, keep_vba=macro, **options)
    saving, _ = _timed(lambda: written.save(out))
    return {"seconds": loading + saving, "load_seconds": loading, "save_seconds": saving}


def udf_rows(rows: int) -> tuple[list[list[float]], list[list[float]], list[list[float]]]:
    """A column of values, Targets and Floors (both polarities), as xlwings hands ranges over."""
    values = [[round(0.5 + (i * 37 % 50) / 100, 2)] for i in range(rows)]
    targets = [[0.8 if i % 3 else 0.2] for i in range(rows)]
    floors = [[0.7 if i % 3 else 0.3] for i in range(rows)]
    return values, targets, floors


def udf_batch(args: list[str]) -> dict[str, Any]:
    """One ``KPI_RAG`` call rating a whole column (rows x 1 lists)."""
    values, targets, floors = udf_rows(int(args[0]))
    imported, _ = _timed(lambda: __import__("kpixl.udfs"))
    from kpixl.udfs import KPI_RAG

    seconds, result = _timed(lambda: KPI_RAG(values, targets, floors))
    return {"seconds": seconds, "import_seconds": imported, "cells": len(result)}


def udf_scalar(args: list[str]) -> dict[str, Any]:
    """The same column rated by one ``KPI_RAG`` call per row (scalars)."""
    values, targets, floors = udf_rows(int(args[0]))
    imported, _ = _timed(lambda: __import__("kpixl.udfs"))
    from kpixl.udfs import KPI_RAG

    def each() -> list[Any]:
        return [KPI_RAG(v[0], t[0], f[0]) for v, t, f in zip(values, targets, floors, strict=True)]

    seconds, result = _timed(each)
    return {"seconds": seconds, "import_seconds": imported, "cells": len(result)}


def import_module(args: list[str]) -> dict[str, Any]:
    """Import one module (``kpixl.xl``, ``xlwings``): time, and what else came with it.

    Nothing of kpixl is imported before (this module imports only the standard library).
    """
    before = set(sys.modules)
    seconds, _ = _timed(lambda: __import__(args[0]))
    loaded = set(sys.modules) - before
    heavy = sorted(name for name in ("openpyxl", "pydantic", "numpy", "pandas") if name in loaded)
    return {"seconds": seconds, "modules": len(loaded), "heavy": heavy}


def combine(args: list[str]) -> dict[str, Any]:
    """``kpixl combine IN... -o OUT`` as the CLI runs it: ``combine.combine_files``."""
    out, sources = Path(args[0]), [Path(arg) for arg in args[1:]]
    imported = _kpixl_imported("kpixl.combine")
    from kpixl.combine import combine_files

    rss = memory_kb("VmRSS")
    seconds, combined = _timed(lambda: combine_files(sources, out))
    return {
        "seconds": seconds,
        "import_seconds": imported,
        "rss_before_kb": rss,
        "workbooks": len(sources),
        "indicators": len(combined.evaluation.report.indicators),
        "problems": len(combined.problems),
    }


def load_floor(args: list[str]) -> dict[str, Any]:
    """The floor for ``combine``: a bare openpyxl ``load_workbook`` of every input, no save."""
    sources = [Path(arg) for arg in args]
    imported, _ = _timed(lambda: __import__("openpyxl"))
    from openpyxl import load_workbook

    def load_all() -> None:
        for source in sources:
            macro = source.suffix.lower() in MACRO_SUFFIXES
            load_workbook(source, keep_vba=macro, rich_text=True, keep_links=True, data_only=False)

    rss = memory_kb("VmRSS")
    seconds, _ = _timed(load_all)
    return {"seconds": seconds, "import_seconds": imported, "rss_before_kb": rss}


def actions(args: list[str]) -> dict[str, Any]:
    """Excel calls ``kpixl.xl.calculate_rag`` makes through xlwings' remote engine."""
    from benchmarks.remote import count_actions

    return count_actions(args[0])


KINDS: dict[str, Measure] = {
    "floor": floor,
    "calculate": calculate,
    "check": check,
    "output-floor": output_floor,
    "udf-batch": udf_batch,
    "udf-scalar": udf_scalar,
    "import": import_module,
    "actions": actions,
    "combine": combine,
    "load-floor": load_floor,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in KINDS:
        print(f"usage: python -m benchmarks.bench {{{','.join(KINDS)}}} ARG...", file=sys.stderr)
        return 2
    try:
        result = KINDS[argv[0]](argv[1:])
    except Unavailable as exc:
        print(f"skipped: {exc}", file=sys.stderr)
        return SKIPPED
    except Exception as exc:  # reported to the parent, which says what could not run
        print(f"{argv[0]} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("KPIXL_DEBUG"):
            raise
        return 1
    result["peak_rss_kb"] = memory_kb("VmHWM")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
