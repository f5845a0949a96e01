"""The benchmark suite runs (never a timing assertion) and its workbooks are what they claim."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.generate import COMBINE_SIZE, Spec, build_report, service_report, workbook_path
from kpixl.core.models import Frequency, Polarity, Report
from kpixl.workbook.reader import read_book
from kpixl.workbook.xlsx_io import load

ROOT = Path(__file__).resolve().parent.parent


def _shares(report: Report) -> dict[str, float]:
    indicators = report.indicators
    activity = [i for i in indicators if not i.is_kpi]
    values = [v for i in indicators for v in i.values.values()]
    polarities = Counter(i.polarity for i in indicators if i.is_kpi and i.polarity is not None)
    return {
        "kpi": sum(i.is_kpi for i in indicators) / len(indicators),
        "quarterly": sum(i.frequency is Frequency.QUARTERLY for i in indicators) / len(indicators),
        "gaps": sum(v is None for v in values) / len(values),
        "commentary": sum(i.commentary is not None for i in indicators) / len(indicators),
        "ranged activity": sum(i.upper is not None for i in activity) / len(activity),
        "percent": sum(i.is_percent for i in indicators) / len(indicators),
        "lower is better": polarities[Polarity.LOWER] / sum(polarities.values()),
    }


@pytest.mark.parametrize(
    ("share", "low", "high"),
    [
        ("kpi", 0.55, 0.65),
        ("quarterly", 0.12, 0.18),
        ("gaps", 0.02, 0.04),
        ("commentary", 0.12, 0.18),
        ("ranged activity", 0.45, 0.55),
        ("percent", 0.3, 0.6),
        ("lower is better", 0.2, 0.8),
    ],
)
def test_generated_report_has_the_stated_mix(share: str, low: float, high: float) -> None:
    found = _shares(build_report(Spec(2000, 24)))[share]

    assert low <= found <= high, f"{share}: {found:.3f}"


def test_generated_report_depends_only_on_the_seed() -> None:
    assert build_report(Spec(60, 12, seed=7)) == build_report(Spec(60, 12, seed=7))
    assert build_report(Spec(60, 12, seed=7)) != build_report(Spec(60, 12, seed=8))


def test_generated_workbook_reads_back_as_the_report(tmp_path: Path) -> None:
    expected = build_report(Spec(60, 12))

    read = read_book(load(workbook_path(Spec(60, 12), tmp_path)).grids).report

    assert [(i.ref, i.values) for i in expected.indicators] == [
        (i.ref, i.values) for i in read.indicators
    ]


def test_service_workbooks_have_refs_and_areas_of_their_own() -> None:
    reports = [service_report(Spec(*COMBINE_SIZE), number) for number in (1, 2, 3)]
    refs = [{i.ref for i in r.indicators} for r in reports]
    areas = [set(r.area_names()) for r in reports]

    assert all(len(r.indicators) == COMBINE_SIZE[0] for r in reports)
    assert not (refs[0] & refs[1]) and not (refs[1] & refs[2]) and not (refs[0] & refs[2])
    assert not (areas[0] & areas[1]) and not (areas[1] & areas[2])
    for report, own in zip(reports, refs, strict=True):  # Ratio refs point inside the file
        used = {i.numerator for i in report.indicators} | {i.denominator for i in report.indicators}
        assert used - {None} <= own


@pytest.mark.slow
def test_quick_benchmarks_run_and_print_the_ratio(tmp_path: Path) -> None:
    env = {**os.environ, "KPIXL_BENCH_CACHE": str(tmp_path), "PYTHON": sys.executable}
    env.pop("XLWINGS_LICENSE_KEY", None)  # the runner sets it for its remote-engine child only

    done = subprocess.run(
        [str(ROOT / "benchmarks" / "run"), "--quick", "--repeat", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(
        r"^ratio kpixl calculate / openpyxl load\+save: seed [\d.]+x", done.stdout, re.M
    )
    assert re.search(r"^kpixl combine IN\.\.\. -o OUT +[\d.]+", done.stdout, re.M), done.stdout
