"""Run the benchmarks and print one table: ``python -m benchmarks.run [--quick] [--repeat N]``.

Every measurement runs in a fresh subprocess (``benchmarks.bench``), interleaved: each repeat
runs the openpyxl floor, ``kpixl calculate`` and ``kpixl check`` of one size back to back, in
alternating order, so drift on the machine hits both sides alike. Exits 0 when everything ran,
1 when a measurement could not run (the table still shows the rest).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks import report
from benchmarks.generate import (
    COMBINE_SIZE,
    QUICK_SIZES,
    SIZES,
    Spec,
    service_workbook_paths,
    workbook_path,
)
from benchmarks.report import Runs

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = 3
UDF_ROWS = 10_000
ACTION_BOOKS = ("sample", "200x24", "2000x24")
"""Books whose click is counted; the generated ones on the same 25 service-area sheets."""
IMPORTS = ("kpixl.xl", "xlwings")


class Bench:
    """Runs children and keeps what they report, keyed by measurement name."""

    def __init__(self, out_dir: Path, verbose: bool) -> None:
        self.out_dir = out_dir
        self.verbose = verbose
        self.runs: dict[str, Runs] = {}

    def child(self, name: str, kind: str, *args: str, env: dict[str, str] | None = None) -> None:
        runs = self.runs.setdefault(name, Runs())
        if runs.failure or runs.skipped:
            return
        command = [sys.executable, "-m", "benchmarks.bench", kind, *args]
        environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=1800
        )
        wall = time.perf_counter() - start
        reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        if done.returncode == SKIPPED:
            runs.skipped = reason
        elif done.returncode != 0:
            runs.failure = reason
        else:
            result = json.loads(done.stdout.strip().splitlines()[-1])
            runs.results.append({**result, "wall": wall})
        if self.verbose:
            print(f"  {name}: {wall:.2f}s {reason if done.returncode else ''}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="benchmarks/run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"sizes {', '.join(QUICK_SIZES)}")
    parser.add_argument("--repeat", type=int, help="repeats (default 5; 3 with --quick)")
    parser.add_argument("--sizes", nargs="+", choices=sorted(SIZES), help="sizes to measure")
    parser.add_argument("--seed", type=int, default=2023, help="generator seed")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each run on stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sizes = args.sizes or (list(QUICK_SIZES) if args.quick else list(SIZES))
    repeats = args.repeat or (3 if args.quick else 5)
    books = {name: workbook_path(Spec(*SIZES[name], seed=args.seed)) for name in sizes}
    action_books = {name: name for name in ACTION_BOOKS}
    services = [str(path) for path in service_workbook_paths(Spec(*COMBINE_SIZE, args.seed))]
    with tempfile.TemporaryDirectory(prefix="kpixl-bench-out-") as tmp:
        bench = Bench(Path(tmp), args.verbose)
        measure(bench, books, repeats, action_books)
        measure_combine(bench, services, repeats)
    print(report.render(bench.runs, sizes, repeats, UDF_ROWS))
    if args.json:
        raw = {name: runs.__dict__ for name, runs in bench.runs.items()}
        args.json.write_text(json.dumps(raw, indent=1), encoding="utf-8")
    failed = [name for name, runs in bench.runs.items() if runs.failure]
    return 1 if failed else 0


def measure(
    bench: Bench, books: dict[str, Path], repeats: int, action_books: dict[str, str]
) -> None:
    """All measurements, repeat by repeat, each pair interleaved in alternating order."""
    out = bench.out_dir
    for repeat in range(repeats):
        for size, path in books.items():
            result = out / f"kpixl-{size}{path.suffix}"
            steps = [
                (f"floor/{size}", "floor", str(path), str(out / f"floor-{size}{path.suffix}")),
                (f"calculate/{size}", "calculate", str(path), str(result)),
                (f"check/{size}", "check", str(path)),
            ]
            for name, kind, *rest in steps if repeat % 2 == 0 else steps[::-1]:
                bench.child(name, kind, *rest)
            if result.exists():
                again = str(out / f"again-{size}{path.suffix}")
                bench.child(f"output-floor/{size}", "output-floor", str(path), str(result), again)
        udf = [("udf/batch", "udf-batch"), ("udf/scalar", "udf-scalar")]
        for name, kind in udf if repeat % 2 == 0 else udf[::-1]:
            bench.child(name, kind, str(UDF_ROWS))
    for repeat in range(max(repeats, 5)):
        for module in IMPORTS if repeat % 2 == 0 else IMPORTS[::-1]:
            bench.child(f"import/{module}", "import", module)
    licence = {"XLWINGS_LICENSE_KEY": "noncommercial"}  # this subprocess only
    for name, book in action_books.items():
        bench.child(f"actions/{name}", "actions", book, env=licence)


def measure_combine(bench: Bench, services: list[str], repeats: int) -> None:
    """``kpixl combine`` of the service workbooks, interleaved with loading them bare."""
    out = str(bench.out_dir / "combined.xlsx")
    steps = [
        ("combine/floor", "load-floor", *services),
        ("combine/kpixl", "combine", out, *services),
    ]
    for repeat in range(repeats):
        for name, kind, *rest in steps if repeat % 2 == 0 else steps[::-1]:
            bench.child(name, kind, *rest)


if __name__ == "__main__":
    sys.exit(main())
