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
from kpixl.core.models import Problem, Severity
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
    return parser


def _calculate(args: argparse.Namespace) -> int:
    from kpixl.headless import calculate_file

    written = calculate_file(
        args.workbook, args.output, in_place=args.in_place, backup=not args.no_backup
    )
    _print_problems(written.outcome.problems, args.workbook)
    print(_rated_line(written.outcome))
    print(f"Wrote {written.path}" + (f" (backup: {written.backup})" if written.backup else ""))
    return written.outcome.exit_code


def _check(args: argparse.Namespace) -> int:
    from kpixl.headless import check_file

    outcome = check_file(args.workbook)
    _print_problems(outcome.problems, args.workbook)
    print(_rated_line(outcome))
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
    from kpixl.workbook import safety
    from kpixl.workbook.pdf import export_pdf

    safety.preflight(args.workbook)
    out = args.output or args.workbook.with_suffix(".pdf")
    print(f"Wrote {export_pdf(args.workbook, out)}")
    return EXIT_OK


def _bundle(args: argparse.Namespace) -> int:
    from kpixl.bundle.build import build_bundle, current_target, windows_targets

    targets = [current_target()] if args.platform == "current" else windows_targets()
    for_what = " and ".join(t.label for t in targets[:1]) + "".join(
        f", {t.version}" for t in targets[1:]
    )
    print(f"Building the bundle for {for_what} (pip, from the package index)...", flush=True)
    print(f"Wrote {build_bundle(args.output, targets)}")
    return EXIT_OK


def _print_problems(problems: Sequence[Problem], path: Path) -> None:
    if not problems:
        return
    errors = sum(p.severity is Severity.ERROR for p in problems)
    print(f"{path.name}: {len(problems)} data problem(s), {errors} error(s):")
    for problem in problems:
        mark = "error" if problem.severity is Severity.ERROR else "warning"
        where = problem.location or "workbook"
        print(f"  {where}: {mark}: {problem.message}")


def _rated_line(outcome: Outcome) -> str:
    results = outcome.evaluation.pairs()
    kpis = [r for i, r in results if i.is_kpi]
    counts = {
        label: sum(str(r.latest_rag) == label for r in kpis) for label in ("GREEN", "AMBER", "RED")
    }
    alerts = [r for i, r in results if not i.is_kpi and r.alert is not None]
    return (
        f"{len(kpis)} KPIs rated (latest: {counts['GREEN']} GREEN, {counts['AMBER']} AMBER, "
        f"{counts['RED']} RED); {len(alerts)} activity alerts."
    )


if __name__ == "__main__":
    raise SystemExit(main())
