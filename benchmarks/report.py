"""The benchmark table: medians with min–max, ratios against the openpyxl floor."""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from benchmarks.generate import COMBINE_BOOKS, COMBINE_SIZE, SIZES

HEADLINE_SIZE = "2000x24"
HEADLINE_TARGET = 1.3
PACKAGES = ("openpyxl", "xlwings", "pydantic", "defusedxml")


@dataclass
class Runs:
    """The runs of one measurement: JSON from each child plus the parent's wall time."""

    results: list[dict[str, Any]] = field(default_factory=list)
    failure: str | None = None
    skipped: str | None = None

    def values(self, key: str) -> list[float]:
        return [float(r[key]) for r in self.results if key in r]


def machine() -> str:
    """nproc, CPU model, Python and package versions, in one line."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                model,
            )
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return (
        f"{os.cpu_count()} x {model}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {', '.join(versions)}"
    )


def spread(values: Sequence[float], scale: float = 1.0, digits: int = 3) -> str:
    """``median (min–max)``; a single value alone."""
    if not values:
        return "-"
    scaled = [v * scale for v in values]
    mid = f"{statistics.median(scaled):.{digits}f}"
    if len(scaled) == 1:
        return mid
    return f"{mid} ({min(scaled):.{digits}f}–{max(scaled):.{digits}f})"


def paired(runs: dict[str, Runs], top: str, bottom: str, key: str) -> list[float]:
    """Ratios top/bottom of runs made side by side (repeat i against repeat i)."""
    a, b = runs.get(top), runs.get(bottom)
    if a is None or b is None:
        return []
    return [x / y for x, y in zip(a.values(key), b.values(key), strict=False) if y]


def _status(runs: Runs | None) -> str | None:
    if runs is None:
        return "not run"
    if runs.failure:
        return f"FAILED: {runs.failure}"
    if runs.skipped:
        return f"skipped: {runs.skipped}"
    return None


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    return lines


def _size_label(size: str) -> str:
    n, p = SIZES[size]
    return f"{size} ({n:,} x {p})" if size == "seed" else f"{n:,} x {p}"


def render(
    runs: dict[str, Runs],
    sizes: Sequence[str],
    repeats: int,
    udf_rows: int,
) -> str:
    out = [
        f"kpixl benchmarks: {repeats} repeat(s), median (min–max); seconds; memory in MiB",
        f"machine: {machine()}",
    ]
    out.append("")
    out += _calculate_section(runs, sizes)
    out += _memory_section(runs, sizes)
    out += _check_section(runs, sizes)
    out += _udf_section(runs, udf_rows)
    out += _import_section(runs)
    out += _actions_section(runs)
    out += _combine_section(runs)
    out += _notes(runs)
    out.append(_ratio_line(runs, sizes))
    return "\n".join(out)


def _calculate_section(runs: dict[str, Runs], sizes: Sequence[str]) -> list[str]:
    inside, process = [], []
    for size in sizes:
        floor, calc = runs.get(f"floor/{size}"), runs.get(f"calculate/{size}")
        out = runs.get(f"output-floor/{size}")
        inside.append(
            [
                _size_label(size),
                _status(floor) or spread(floor.values("seconds")) if floor else "not run",
                _status(calc) or spread(calc.values("seconds")) if calc else "not run",
                spread(paired(runs, f"calculate/{size}", f"floor/{size}", "seconds"), digits=2),
                _status(out) or spread(out.values("seconds")) if out else "not run",
                spread(
                    paired(runs, f"calculate/{size}", f"output-floor/{size}", "seconds"), digits=2
                ),
            ]
        )
        process.append(
            [
                _size_label(size),
                spread(floor.values("wall") if floor else [], digits=2),
                spread(calc.values("wall") if calc else [], digits=2),
                spread(paired(runs, f"calculate/{size}", f"floor/{size}", "wall"), digits=2),
            ]
        )
    header = (
        "indicators x periods", "openpyxl load+save", "kpixl calculate", "ratio",
        "output floor", "ratio",
    )  # fmt: skip
    return [
        "1. kpixl calculate IN -o OUT vs bare openpyxl load_workbook(IN) + save, same load options",
        "   (timed around the call inside a fresh process). 'output floor' = load IN + save a",
        "   workbook as big as kpixl's result (its Summary, Dashboard and computed columns).",
        *_table(header, inside),
        "",
        "   Whole subprocess wall time (Python start-up, imports, the call):",
        *_table(("indicators x periods", "openpyxl process", "kpixl process", "ratio"), process),
        "",
    ]


def _memory_section(runs: dict[str, Runs], sizes: Sequence[str]) -> list[str]:
    mib = 1 / 1024
    rows = []
    for size in sizes:
        floor, calc = runs.get(f"floor/{size}"), runs.get(f"calculate/{size}")
        check = runs.get(f"check/{size}")
        rows.append(
            [
                _size_label(size),
                spread(floor.values("peak_rss_kb") if floor else [], mib, 1),
                spread(calc.values("peak_rss_kb") if calc else [], mib, 1),
                spread(paired(runs, f"calculate/{size}", f"floor/{size}", "peak_rss_kb"), digits=2),
                spread(check.values("peak_rss_kb") if check else [], mib, 1),
                spread(calc.values("rss_before_kb") if calc else [], mib, 1),
            ]
        )
    header = (
        "indicators x periods", "openpyxl peak", "kpixl calc peak", "ratio", "kpixl check peak",
        "kpixl after imports",
    )  # fmt: skip
    return ["2. Peak RSS of the same runs (VmHWM of the child process)", *_table(header, rows), ""]


def _check_section(runs: dict[str, Runs], sizes: Sequence[str]) -> list[str]:
    rows = []
    for size in sizes:
        check = runs.get(f"check/{size}")
        problems = check.values("problems") if check else []
        rows.append(
            [
                _size_label(size),
                _status(check) or spread(check.values("seconds")) if check else "not run",
                spread(check.values("wall") if check else [], digits=2),
                f"{int(problems[0])}" if problems else "-",
            ]
        )
    header = ("indicators x periods", "kpixl check", "whole process", "problems found")
    return ["3. kpixl check IN alone (read and rate, nothing written)", *_table(header, rows), ""]


def _udf_section(runs: dict[str, Runs], rows_rated: int) -> list[str]:
    batch, scalar = runs.get("udf/batch"), runs.get("udf/scalar")
    rows = [
        [f"one call, {rows_rated:,} x 1 lists", _status(batch) or spread(batch.values("seconds"))]
        if batch
        else ["one call", "not run"],
        [f"{rows_rated:,} scalar calls", _status(scalar) or spread(scalar.values("seconds"))]
        if scalar
        else ["scalar calls", "not run"],
        ["scalar / one call", spread(paired(runs, "udf/scalar", "udf/batch", "seconds"), digits=1)],
    ]
    return [f"4. KPI_RAG rating {rows_rated:,} rows", *_table(("how", "seconds"), rows), ""]


def _import_section(runs: dict[str, Runs]) -> list[str]:
    rows = []
    for module in ("kpixl.xl", "xlwings"):
        one = runs.get(f"import/{module}")
        if one is None or _status(one):
            rows.append([f"import {module}", _status(one) or "", "", "", ""])
            continue
        heavy = one.results[0].get("heavy", []) if one.results else []
        rows.append(
            [
                f"import {module}",
                spread(one.values("seconds")),
                spread(one.values("wall")),
                spread(one.values("modules"), digits=0),
                ", ".join(heavy) or "none",
            ]
        )
    header = ("fresh process", "import", "whole process", "modules loaded", "heavy deps loaded")
    return ["5. RunPython start-up: import time", *_table(header, rows), ""]


def _actions_section(runs: dict[str, Runs]) -> list[str]:
    rows, kinds = [], []
    for name in ("sample", "200x24", "2000x24"):
        one = runs.get(f"actions/{name}")
        label = "reference sample" if name == "sample" else f"{name} (25 area sheets)"
        status = _status(one)
        if one is None or status or not one.results:
            rows.append([label, status or "no result", "", "", "", "", ""])
            continue
        r = one.results[0]
        cells = f"{r['cells_written']:,}"
        rows.append(
            [
                label,
                str(r["sheets"]),
                str(r["reads"]),
                str(r["actions"]),
                str(r.get("union_calls", "?")),
                cells,
                f"{r['seconds']:.2f}",
            ]
        )
        inputs = r.get("on_indicator_sheets", "?")
        kinds.append(
            f"   {label}: {inputs} on indicator sheets, the rest on Summary/Dashboard; "
            + ", ".join(f"{k} {v}" for k, v in r["by_kind"].items())
        )
    header = (
        "workbook",
        "sheets",
        "reads",
        "write actions",
        "multi-area calls",
        "cells in setValues",
        "seconds",
    )
    return [
        "6. Excel calls made by kpixl.xl.calculate_rag (xlwings remote engine: one action per",
        "   rectangle; multi-area calls: the same writes as desktop Excel for Windows gets them)",
        *_table(header, rows),
        *kinds,
        "",
    ]


def _combine_section(runs: dict[str, Runs]) -> list[str]:
    floor, kpixl = runs.get("combine/floor"), runs.get("combine/kpixl")
    if floor is None and kpixl is None:
        return []
    n, p = COMBINE_SIZE
    rows = [
        ["openpyxl load of every input", _status(floor) or spread(floor.values("seconds"))]
        if floor
        else ["openpyxl load", "not run"],
        ["kpixl combine IN... -o OUT", _status(kpixl) or spread(kpixl.values("seconds"))]
        if kpixl
        else ["kpixl combine", "not run"],
        ["kpixl combine, whole process", spread(kpixl.values("wall") if kpixl else [], digits=2)],
        ["combine / load", spread(paired(runs, "combine/kpixl", "combine/floor", "seconds"))],
    ]
    title = f"7. kpixl combine of {COMBINE_BOOKS} workbooks of {n:,} x {p} each"
    return [title, *_table(("what", "seconds"), rows), ""]


def _notes(runs: dict[str, Runs]) -> list[str]:
    notes = [f"  {name}: {_status(r)}" for name, r in runs.items() if _status(r)]
    return ["Could not run:", *notes, ""] if notes else []


def _ratio_line(runs: dict[str, Runs], sizes: Sequence[str]) -> str:
    parts = []
    for size in sizes:
        ratios = paired(runs, f"calculate/{size}", f"floor/{size}", "seconds")
        parts.append(f"{size} {statistics.median(ratios):.2f}x" if ratios else f"{size} n/a")
    line = f"ratio kpixl calculate / openpyxl load+save: {', '.join(parts)}"
    if HEADLINE_SIZE in sizes:
        ratios = paired(runs, f"calculate/{HEADLINE_SIZE}", f"floor/{HEADLINE_SIZE}", "seconds")
        if ratios:
            met = "met" if statistics.median(ratios) <= HEADLINE_TARGET else "NOT met"
            line += f" (target <= {HEADLINE_TARGET}x at {HEADLINE_SIZE}: {met})"
    return line
