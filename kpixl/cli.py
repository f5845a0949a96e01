"""``kpixl`` on the command line (SPEC section 6).

Exit codes: 0 done with no problems, 1 done but data problems found, 2 nothing written.
Every error a user can cause is one sentence on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kpixl import __version__
from kpixl.core.models import Evaluation, Problem, Severity
from kpixl.errors import KpixlError
from kpixl.workbook.calculate import Outcome

EXIT_OK, EXIT_PROBLEMS, EXIT_NOTHING_WRITTEN = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except KpixlError as exc:
        print(f"kpixl: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kpixl: interrupted; nothing was changed.", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: no traceback for users
        if os.environ.get("KPIXL_DEBUG"):
            raise
        print(
            f"kpixl: unexpected error ({type(exc).__name__}: {exc}); nothing was changed. "
            "Run again with KPIXL_DEBUG=1 to see the details, and please report it.",
            file=sys.stderr,
        )
        return EXIT_NOTHING_WRITTEN


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kpixl",
        description="Rate council performance indicators RED/AMBER/GREEN in an Excel workbook "
        "and build its Summary and Dashboard sheets.",
        epilog="Exit codes: 0 done, no problems; 1 done, data problems found; 2 nothing written.",
    )
    parser.add_argument("--version", action="version", version=f"kpixl {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")

    calc = verbs.add_parser("calculate", help="rate a workbook and write the result")
    calc.add_argument("workbook", type=Path, help="the .xlsx/.xlsm workbook to rate")
    where = calc.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", type=Path, help="write the rated workbook here")
    where.add_argument(
        "--in-place", action="store_true", help="replace the workbook itself (a backup is kept)"
    )
    calc.add_argument("--no-backup", action="store_true", help="with --in-place: keep no backup")
    calc.set_defaults(run=_calculate)

    check = verbs.add_parser("check", help="report data problems without writing anything")
    check.add_argument("workbook", type=Path)
    check.set_defaults(run=_check)

    demo = verbs.add_parser("demo", help="build and rate the bundled reference report")
    demo.add_argument("output", type=Path, nargs="?", default=Path("kpixl-demo.xlsm"))
    demo.set_defaults(run=_demo)

    template = verbs.add_parser("template", help="build workbook_template.xlsm from source")
    template.add_argument("output", type=Path, nargs="?", default=Path("workbook_template.xlsm"))
    template.set_defaults(run=_template)

    pdf = verbs.add_parser("pdf", help="export the Summary and Dashboard to PDF (LibreOffice)")
    pdf.add_argument("workbook", type=Path)
    pdf.add_argument("-o", "--output", type=Path, help="the PDF file (default: beside the input)")
    pdf.set_defaults(run=_pdf)

    bundle = verbs.add_parser(
        "bundle", help="write an offline, per-user installer for Windows (needs the network)"
    )
    bundle.add_argument("output", type=Path, help="a new folder for the bundle")
    bundle.add_argument(
        "--platform",
        choices=("windows", "current"),
        default="windows",
        help="windows: Windows x64 wheels for Python 3.11-3.13 (default); "
        "current: this machine's platform and Python only",
    )
    bundle.set_defaults(run=_bundle)

    combine = verbs.add_parser(
        "combine", help="one Summary and Dashboard over several workbooks (inputs only read)"
    )
    combine.add_argument("workbooks", type=Path, nargs="+", help="the workbooks to combine")
    combine.add_argument(
        "-o", "--output", type=Path, required=True, help="the combined report (a new .xlsx)"
    )
    combine.add_argument("--title", help="the report title (default: the first workbook's)")
    combine.add_argument("--produced-by", help="who produced it (default: the first workbook's)")
    combine.set_defaults(run=_combine)
    return parser


def _calculate(args: argparse.Namespace) -> int:
    from kpixl.headless import calculate_file

    written = calculate_file(
        args.workbook, args.output, in_place=args.in_place, backup=not args.no_backup
    )
    _print_problems(written.outcome.problems, args.workbook)
    print(_rated_line(written.outcome))
    for note in written.notes:
        print(f"Note: {note}")
    print(f"Wrote {written.path}" + (f" (backup: {written.backup})" if written.backup else ""))
    return written.outcome.exit_code


def _check(args: argparse.Namespace) -> int:
    from kpixl.headless import check_file
    from kpixl.workbook.files import open_elsewhere_note

    outcome = check_file(args.workbook)
    _print_problems(outcome.problems, args.workbook)
    print(_rated_line(outcome))
    note = open_elsewhere_note(args.workbook)
    if note:
        print(f"Note: {note}")
    return outcome.exit_code


def _demo(args: argparse.Namespace) -> int:
    from kpixl.demo import build_demo
    from kpixl.report.terminal import render_table

    written = build_demo(args.output)
    print(render_table(written.outcome.evaluation, colour=sys.stdout.isatty()))
    _print_problems(written.outcome.problems, written.path)
    print(f"Wrote {written.path}")
    return written.outcome.exit_code


def _template(args: argparse.Namespace) -> int:
    from kpixl.template.build import build_template

    print(f"Wrote {build_template(args.output)}")
    return EXIT_OK


def _pdf(args: argparse.Namespace) -> int:
    """Calculate first, as the Excel button does, then print the fresh Summary and Dashboard.

    The workbook itself is never written: the calculation goes to a temporary copy, so the PDF
    never shows placeholder text or results older than the figures typed in. A report made by
    ``kpixl combine`` has nothing to calculate: its Summary, Dashboard and Sources are printed.
    """
    import tempfile

    from kpixl.combine import COMBINED_SHEETS, is_combined_report
    from kpixl.headless import calculate_file
    from kpixl.workbook.pdf import export_pdf

    out = args.output or args.workbook.with_suffix(".pdf")
    if is_combined_report(args.workbook):  # nothing to calculate: print all it holds
        print(f"Wrote {export_pdf(args.workbook, out, COMBINED_SHEETS)}")
        return EXIT_OK
    with tempfile.TemporaryDirectory(prefix="kpixl-pdf-") as folder:
        rated = Path(folder) / f"{args.workbook.stem}{args.workbook.suffix.lower()}"
        written = calculate_file(args.workbook, rated)
        _print_problems(written.outcome.problems, args.workbook)
        print(_rated_line(written.outcome))
        print(f"Wrote {export_pdf(written.path, out)}")
    return written.outcome.exit_code


def _bundle(args: argparse.Namespace) -> int:
    from kpixl.bundle.build import build_bundle, current_target, windows_targets

    targets = [current_target()] if args.platform == "current" else windows_targets()
    for_what = " and ".join(t.label for t in targets[:1]) + "".join(
        f", {t.version}" for t in targets[1:]
    )
    print(f"Building the bundle for {for_what} (pip, from the package index)...", flush=True)
    print(f"Wrote {build_bundle(args.output, targets)}")
    return EXIT_OK


def _combine(args: argparse.Namespace) -> int:
    from kpixl.combine import combine_files

    combined = combine_files(
        args.workbooks, args.output, title=args.title, producer=args.produced_by
    )
    for source in combined.sources:
        _print_problems(source.problems, source.label)
    count = len(combined.sources)
    print(f"{count} workbook{'s' if count != 1 else ''}: " + _rated_text(combined.evaluation))
    print(f"Wrote {args.output}")
    return combined.exit_code


def _print_problems(problems: Sequence[Problem], path: Path | str) -> None:
    if not problems:
        return
    print(f"{path.name if isinstance(path, Path) else path}: {problem_count(problems)}:")
    for problem in problems:
        mark = "error" if problem.severity is Severity.ERROR else "warning"
        where = problem.location or "workbook"
        print(f"  {where}: {mark}: {problem.message}")


def problem_count(problems: Sequence[Problem]) -> str:
    """``2 errors and 1 warning``, ``3 warnings``: what was found, each kind counted once."""
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warned = len(problems) - errors
    parts = [_plural(errors, "error"), _plural(warned, "warning")]
    return " and ".join(part for part in parts if part) or "no problems"


def _plural(count: int, noun: str) -> str:
    return "" if count == 0 else f"{count} {noun}" + ("" if count == 1 else "s")


def _rated_line(outcome: Outcome) -> str:
    return _rated_text(outcome.evaluation)


def _rated_text(evaluation: Evaluation) -> str:
    """How many KPIs were actually rated (not merely read), with the latest RAG counts."""
    results = evaluation.pairs()
    kpis = [r for i, r in results if i.is_kpi]
    rated = [r for r in kpis if r.latest_rag is not None]
    counts = {
        label: sum(str(r.latest_rag) == label for r in rated) for label in ("GREEN", "AMBER", "RED")
    }
    activity = [r for i, r in results if not i.is_kpi]
    alerts = [r for r in activity if r.alert is not None]
    unrated = len(kpis) - len(rated)
    lead = f"{len(rated)} of {len(kpis)} KPIs rated" if unrated else f"{len(kpis)} KPIs rated"
    line = (
        f"{lead} (latest: {counts['GREEN']} GREEN, {counts['AMBER']} AMBER, "
        f"{counts['RED']} RED); {len(alerts)} of {len(activity)} activity indicators "
        "checked against their range."
    )
    if unrated:
        line += f" {unrated} KPI{'s have' if unrated != 1 else ' has'} no latest rating: see above."
    return line


if __name__ == "__main__":
    raise SystemExit(main())
