"""Where ``kpixl calculate`` spends its time: ``python -m benchmarks.profile [--size 2000x24]``.

Two views of one workbook, each in this process after a warm-up run:

* phases: wall time of each step of ``headless.calculate_file`` (the steps are wrapped with
  timers here, kpixl is not changed), split into the openpyxl floor (``load_workbook``, the
  final ``save``) and kpixl's own work;
* cProfile: kpixl's functions by cumulative and by own time (openpyxl calls they make count
  towards them, as they are kpixl's cost on top of the floor).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.generate import SIZES, Spec, workbook_path

PHASES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # (label, modules, attribute): wrapped in the first module that has it, where headless
    # (or the planner it calls) looks it up
    ("preflight (zip checks)", ("kpixl.headless",), "safety"),
    ("openpyxl load_workbook", ("kpixl.workbook.xlsx_io",), "load_workbook"),
    ("grids from openpyxl cells", ("kpixl.workbook.xlsx_io",), "_grids"),
    ("read + rate + locate", ("kpixl.headless",), "calculate"),
    ("computed-column plan", ("kpixl.workbook.planner", "kpixl.headless"), "plan_computed"),
    ("Summary design", ("kpixl.workbook.planner", "kpixl.headless"), "summary_design"),
    ("Dashboard design", ("kpixl.workbook.planner", "kpixl.headless"), "dashboard_design"),
    ("apply plan to cells", ("kpixl.workbook.xlsx_render",), "apply_plan"),
    ("draw Summary/Dashboard", ("kpixl.workbook.xlsx_render",), "draw_design"),
    ("openpyxl save (whole book)", ("kpixl.workbook.xlsx_io",), "ExcelWriter"),
)
FLOOR_PHASES = ("openpyxl load_workbook", "openpyxl save (whole book)")
KPIXL_PATH = "/kpixl/"


def _timer(label: str, target: Any, totals: dict[str, float]) -> Any:
    if isinstance(target, type) and hasattr(target, "save"):  # ExcelWriter: time .save()
        original = target.save

        def save(self: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(self)
            finally:
                totals[label] += time.perf_counter() - start

        return type(target.__name__, (target,), {"save": save})
    if not callable(target):  # a module (safety): time its preflight and check_no_loss
        for name in ("preflight", "check_no_loss"):
            setattr(target, name, _timer(label, getattr(target, name), totals))
        return target

    @functools.wraps(target)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return target(*args, **kwargs)
        finally:
            totals[label] += time.perf_counter() - start

    return timed


def phases(path: Path, repeats: int) -> list[dict[str, float]]:
    """Per-run seconds of each phase, plus ``total``; the first (warm-up) run is dropped."""
    import importlib

    from kpixl.headless import calculate_file

    totals: dict[str, float] = defaultdict(float)
    patched: list[tuple[Any, str, Any]] = []
    for label, module_names, attribute in PHASES:
        modules = [importlib.import_module(name) for name in module_names]
        module = next((m for m in modules if hasattr(m, attribute)), None)
        if module is None:
            continue
        original = getattr(module, attribute)
        patched.append((module, attribute, original))
        setattr(module, attribute, _timer(label, original, totals))
    runs = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(repeats + 1):
                totals.clear()
                start = time.perf_counter()
                calculate_file(path, Path(tmp) / f"out{path.suffix}")
                runs.append({**totals, "total": time.perf_counter() - start})
    finally:
        for module, attribute, original in reversed(patched):
            setattr(module, attribute, original)
        _restore_safety()
    return runs[1:]


def _restore_safety() -> None:
    from kpixl.workbook import safety

    for name in ("preflight", "check_no_loss"):
        wrapped = getattr(safety, name)
        setattr(safety, name, getattr(wrapped, "__wrapped__", wrapped))


def profile(path: Path) -> pstats.Stats:
    from kpixl.headless import calculate_file

    with tempfile.TemporaryDirectory() as tmp:
        calculate_file(path, Path(tmp) / f"warm{path.suffix}")
        profiler = cProfile.Profile()
        profiler.enable()
        calculate_file(path, Path(tmp) / f"out{path.suffix}")
        profiler.disable()
    return pstats.Stats(profiler)


def kpixl_functions(stats: pstats.Stats, key: str, top: int) -> list[tuple[str, int, float, float]]:
    """(function, calls, own seconds, cumulative seconds) of kpixl's code, sorted by ``key``."""
    rows = []
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, line, name), (_, calls, own, cumulative, _) in table.items():
        if KPIXL_PATH in filename and "/.venv/" not in filename:
            where = filename.split(KPIXL_PATH, 1)[1]
            rows.append((f"kpixl/{where}:{line} {name}", calls, own, cumulative))
    if key == "own":
        return sorted(rows, key=lambda r: -r[2])[:top]
    return sorted(rows, key=lambda r: -r[3])[:top]


def render(size: str, runs: list[dict[str, float]], stats: pstats.Stats, top: int) -> str:
    labels = [label for label, _, _ in PHASES]
    med = {label: statistics.median(r.get(label, 0.0) for r in runs) for label in labels}
    total = statistics.median(r["total"] for r in runs)
    floor = sum(med[label] for label in FLOOR_PHASES)
    lines = [f"kpixl calculate {size}: {len(runs)} run(s) after a warm-up, medians", ""]
    lines += [f"  {label:<30} {med[label]:7.3f} s  {med[label] / total:6.1%}" for label in labels]
    other = total - sum(med.values())
    lines += [
        f"  {'other (safety, files, glue)':<30} {other:7.3f} s  {other / total:6.1%}",
        f"  {'total':<30} {total:7.3f} s",
        f"  openpyxl floor phases {floor:.3f} s; kpixl's own work {total - floor:.3f} s "
        f"({(total - floor) / total:.0%})",
        "",
    ]
    total_profiled = max(getattr(stats, "total_tt", 0.0), 1e-9)
    for key in ("cumulative", "own"):
        lines.append(
            f"kpixl functions by {key} time (under cProfile: {total_profiled:.2f} s in all)"
        )
        lines.append(f"  {'calls':>8} {'own s':>7} {'cum s':>7}  function")
        for name, calls, own, cumulative in kpixl_functions(stats, key, top):
            lines.append(f"  {calls:>8} {own:7.3f} {cumulative:7.3f}  {name}")
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="2000x24")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)
    path = workbook_path(Spec(*SIZES[args.size], seed=args.seed))
    runs = phases(path, args.repeat)
    print(render(args.size, runs, profile(path), args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
