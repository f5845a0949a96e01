"""``kpixl combine`` on real files: the demo split into three workbooks gives the demo's own
Summary and Dashboard; cross-file problems name both files; bad inputs write nothing; inputs
are never written."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from kpixl import load_sample
from kpixl.cli import main
from kpixl.combine import COMBINED_SHEETS, combine_files, combined_designs
from kpixl.core.models import Report, Severity
from kpixl.demo import build_demo
from kpixl.headless import calculate_file, check_file
from kpixl.report.dashboard import dashboard_design
from kpixl.report.sources import COUNT_HEADERS, SOURCES_SHEET
from kpixl.report.summary import summary_design
from kpixl.template.build import build_workbook
from kpixl.workbook import xlsx_io
from kpixl.workbook.grid import CellValue, SheetGrid
from kpixl.workbook.layout_from_report import report_to_grids
from tests.workbook.badfiles import BAD_FILES
from tests.workbooks import write_grids

PARTS = 3


def split(report: Report, parts: int = PARTS) -> list[Report]:
    """The report's service areas dealt into ``parts`` reports, in order, areas kept whole."""
    names = report.area_names()
    size = -(-len(names) // parts)
    chunks = [names[start : start + size] for start in range(0, len(names), size)]
    return [
        report.model_copy(
            update={
                "areas": tuple(a for a in report.areas if a.name in chunk),
                "indicators": tuple(i for i in report.indicators if i.service_area in chunk),
            }
        )
        for chunk in chunks
    ]


def write_report(report: Report, path: Path) -> Path:
    return write_grids(report_to_grids(report), path)


def digests(paths: list[Path]) -> dict[Path, tuple[str, int]]:
    return {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths}


def values(grid: SheetGrid) -> list[list[CellValue]]:
    """A grid's rows without trailing blanks, for comparing two drawn sheets."""
    rows = [list(row) for row in grid.rows]
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    return rows


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_split(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], Path]:
    """The whole sample rated as one workbook, its three parts, and their combined report."""
    folder = tmp_path_factory.mktemp("combine")
    whole = calculate_file(write_report(load_sample(), folder / "whole.xlsx")).path
    parts = [
        write_report(part, folder / f"part{n}.xlsx") for n, part in enumerate(split(load_sample()))
    ]
    out = folder / "corporate.xlsx"
    assert 0 == main(["combine", *map(str, parts), "-o", str(out)])
    return whole, parts, out


def test_the_demo_split_in_three_gives_the_demos_summary_and_dashboard_designs(
    tmp_path: Path,
) -> None:
    sample = load_sample()
    parts = [write_report(p, tmp_path / f"p{n}.xlsx") for n, p in enumerate(split(sample))]
    whole = calculate_file(write_report(sample, tmp_path / "whole.xlsx")).outcome.evaluation

    combined = combine_files(parts, tmp_path / "out.xlsx")

    summary, dashboard, _ = combined_designs(combined)
    assert PARTS == len(combined.sources)
    assert summary_design(whole, history=()) == summary
    assert dashboard_design(whole) == dashboard
    assert 0 == combined.exit_code


def test_kpixl_demo_and_three_template_workbooks_of_its_areas_give_the_same_sheets(
    tmp_path: Path,
) -> None:
    demo = build_demo(tmp_path / "demo.xlsm")
    parts = [
        build_workbook(tmp_path / f"service{n}.xlsm", part)
        for n, part in enumerate(split(load_sample()))
    ]
    before = digests(parts)

    combined = combine_files(parts, tmp_path / "corporate.xlsx")

    summary, dashboard, _ = combined_designs(combined)
    assert summary_design(demo.outcome.evaluation, history=demo.outcome.history) == summary
    assert dashboard_design(demo.outcome.evaluation) == dashboard
    drawn, made = xlsx_io.load(demo.path), xlsx_io.load(tmp_path / "corporate.xlsx")
    for sheet in ("Summary", "Dashboard"):
        assert values(drawn.grid(sheet)) == values(made.grid(sheet)), sheet
    assert before == digests(parts)


@pytest.mark.parametrize("sheet", ["Summary", "Dashboard"])
def test_the_combined_file_shows_the_demos_sheets_cell_for_cell(
    demo_split: tuple[Path, list[Path], Path], sheet: str
) -> None:
    whole, _, out = demo_split

    expected, found = xlsx_io.load(whole).grid(sheet), xlsx_io.load(out).grid(sheet)

    assert values(expected) == values(found)


def test_the_combined_file_holds_summary_dashboard_and_sources_only(
    demo_split: tuple[Path, list[Path], Path],
) -> None:
    loaded = xlsx_io.load(demo_split[2])

    assert list(COMBINED_SHEETS) == [grid.name for grid in loaded.grids]
    assert set(COMBINED_SHEETS) == loaded.generated


def test_sources_lists_each_file_with_its_month_and_counts(
    demo_split: tuple[Path, list[Path], Path],
) -> None:
    whole, parts, out = demo_split
    grid = xlsx_io.load(out).grid(SOURCES_SHEET)
    header = next(r for r, row in enumerate(grid.rows) if row and row[0] == "File")
    rows = {
        row[0]: dict(zip(COUNT_HEADERS, row, strict=False))
        for row in grid.rows[header + 1 :]
        if row
    }
    kpis = [r for i, r in check_file(parts[1]).evaluation.pairs() if i.is_kpi]

    assert [p.name for p in parts] == list(rows)[:PARTS]
    assert "Oct 2023" == rows[parts[1].name]["Reporting month"]
    assert len(kpis) == rows[parts[1].name]["KPIs"]
    assert sum(r.latest_rag is not None for r in kpis) == rows[parts[1].name]["KPIs rated"]
    assert sum(str(r.latest_rag) == "RED" for r in kpis) == rows[parts[1].name]["RED"]
    whole_kpis = [i for i, _ in check_file(whole).evaluation.pairs() if i.is_kpi]
    assert len(whole_kpis) == rows["Total"]["KPIs"]


def test_inputs_are_never_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reports = split(load_sample())
    reports[1] = reports[1].model_copy(update={"reporting_month": datetime(2023, 9, 1).date()})
    parts = [write_report(r, tmp_path / f"in{n}.xlsx") for n, r in enumerate(reports)]
    before, listing = digests(parts), sorted(tmp_path.iterdir())

    code, _, _ = run(capsys, "combine", *parts, "-o", tmp_path / "out.xlsx")

    assert 1 == code  # problems were found and the inputs still are not touched
    assert before == digests(parts)
    assert [*listing, tmp_path / "out.xlsx"] == sorted(tmp_path.iterdir())


def test_a_ref_in_two_files_is_kept_in_both_and_named_in_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, third = split(load_sample())
    borrowed = first.indicators[0]  # on the Finance sheet
    moved = borrowed.model_copy(update={"service_area": second.areas[0].name})
    second = second.model_copy(update={"indicators": (*second.indicators, moved)})
    paths = [write_report(r, tmp_path / f"{n}.xlsx") for n, r in enumerate((first, second, third))]
    out = tmp_path / "out.xlsx"

    code, stdout, _ = run(capsys, "combine", *paths, "-o", out)

    assert 1 == code
    combined = combine_files(paths, tmp_path / "again.xlsx")
    dup = {label: p for label, p in combined.problems if p.ref == borrowed.ref and p.field == "Ref"}
    assert {"0.xlsx", "1.xlsx"} == set(dup)
    assert "1.xlsx" in dup["0.xlsx"].message and "0.xlsx" in dup["1.xlsx"].message
    assert f"sheet {dup['1.xlsx'].sheet!r}, cell {dup['1.xlsx'].cell}" in dup["0.xlsx"].message
    assert f"sheet {dup['0.xlsx'].sheet!r}, cell {dup['0.xlsx'].cell}" in dup["1.xlsx"].message
    assert (Severity.ERROR, "Finance", "A7") == (
        dup["0.xlsx"].severity,
        dup["0.xlsx"].sheet,
        dup["0.xlsx"].cell,
    )
    where = dup["1.xlsx"].location
    assert f"1.xlsx: 1 error:\n  {where}: error: {borrowed.ref}: this Ref is also used" in stdout
    summary = xlsx_io.load(out).grid("Summary")
    firsts = [row[0] for row in summary.rows if row and isinstance(row[0], str)]
    assert 2 == sum(text.startswith(f"{borrowed.ref}: ") for text in firsts)


def test_different_reporting_months_are_a_problem_naming_both_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = split(load_sample())
    reports[0] = reports[0].model_copy(update={"reporting_month": datetime(2023, 9, 1).date()})
    paths = [write_report(r, tmp_path / f"m{n}.xlsx") for n, r in enumerate(reports)]
    out = tmp_path / "out.xlsx"

    code, stdout, _ = run(capsys, "combine", *paths, "-o", out)

    assert 1 == code
    assert out.exists()
    line = next(text for text in stdout.splitlines() if "Reporting month here is" in text)
    assert line.strip().startswith("Settings!B4: warning: The Reporting month here is Sep 2023")
    assert "m1.xlsx reports up to Oct 2023" in line
    assert "m0.xlsx: 1 warning:" in stdout
    summary = xlsx_io.load(out).grid("Summary")
    assert "Results up to Oct 2023" in [row[0] for row in summary.rows if row]
    sources = xlsx_io.load(out).grid(SOURCES_SHEET)
    assert ["m0.xlsx", "Sep 2023"] == list(
        next(r for r in sources.rows if r and r[0] == "m0.xlsx")
    )[:2]


def test_a_workbook_a_month_behind_is_rated_up_to_the_combined_month(tmp_path: Path) -> None:
    sample = load_sample()
    reports = split(sample)
    reports[0] = reports[0].model_copy(update={"reporting_month": datetime(2023, 9, 1).date()})
    paths = [write_report(r, tmp_path / f"m{n}.xlsx") for n, r in enumerate(reports)]
    whole = calculate_file(write_report(sample, tmp_path / "whole.xlsx")).outcome.evaluation
    alone = check_file(paths[0]).evaluation

    combined = combine_files(paths, tmp_path / "out.xlsx")

    assert summary_design(whole, history=()) == combined_designs(combined)[0]
    assert dashboard_design(whole) == combined_designs(combined)[1]
    assert alone.results != combined.sources[0].evaluation.results  # Sep alone rates otherwise


def test_a_workbook_without_a_reporting_month_keeps_its_own_and_is_told(tmp_path: Path) -> None:
    reports = split(load_sample())
    october = datetime(2023, 10, 1).date()
    reports[2] = reports[2].model_copy(
        update={
            "indicators": tuple(
                i.model_copy(update={"values": {p: v for p, v in i.values.items() if p < october}})
                for i in reports[2].indicators
            )
        }
    )
    paths = [write_report(r, tmp_path / f"n{n}.xlsx") for n, r in enumerate(reports)]
    grids = [
        g if g.name != "Settings" else SheetGrid(g.name, g.rows[:3])
        for g in report_to_grids(reports[2])
    ]
    write_grids(grids, paths[2])  # Settings without its Reporting month row

    combined = combine_files(paths, tmp_path / "out.xlsx")

    told = [p for label, p in combined.problems if label == "n2.xlsx" and "n0.xlsx" in p.message]
    assert 1 == len(told)
    assert ("Settings", None) == (told[0].sheet, told[0].cell)
    assert "rated up to Sep 2023, the latest month with figures" in told[0].message
    assert october == combined.evaluation.report.reporting_month


def test_a_different_financial_year_start_is_a_warning_naming_the_first_file(
    tmp_path: Path,
) -> None:
    reports = split(load_sample())
    reports[2] = reports[2].model_copy(update={"fy_start_month": 1})
    paths = [write_report(r, tmp_path / f"y{n}.xlsx") for n, r in enumerate(reports)]

    combined = combine_files(paths, tmp_path / "out.xlsx")

    [(label, problem)] = combined.problems
    assert ("y2.xlsx", "Settings", "B5") == (label, problem.sheet, problem.cell)
    assert "y0.xlsx" in problem.message and "Financial year start month" in problem.message
    assert 4 == combined.evaluation.report.fy_start_month


def test_two_files_with_an_area_of_the_same_name_keep_them_apart(tmp_path: Path) -> None:
    first, second, _ = split(load_sample())
    renamed = {second.areas[0].name: first.areas[0].name}
    second = second.model_copy(
        update={
            "areas": tuple(
                a.model_copy(update={"name": renamed.get(a.name, a.name)}) for a in second.areas
            ),
            "indicators": tuple(
                i.model_copy(update={"service_area": renamed.get(i.service_area, i.service_area)})
                for i in second.indicators
            ),
        }
    )
    paths = [write_report(first, tmp_path / "a.xlsx"), write_report(second, tmp_path / "b.xlsx")]

    combined = combine_files(paths, tmp_path / "out.xlsx")

    names = combined.evaluation.report.area_names()
    assert ["Finance (a.xlsx)", "Finance (b.xlsx)"] == [n for n in names if "Finance" in n]
    assert len(first.areas) + len(second.areas) == len(names)


def test_the_title_is_the_first_files_unless_given(
    demo_split: tuple[Path, list[Path], Path], tmp_path: Path
) -> None:
    parts = demo_split[1]
    default = combine_files(parts, tmp_path / "a.xlsx").evaluation.report
    given = combine_files(
        parts, tmp_path / "b.xlsx", title="Corporate KPIs", producer="Corporate Performance"
    ).evaluation.report

    assert load_sample().title == default.title
    assert ("Corporate KPIs", "Corporate Performance") == (given.title, given.produced_by)
    assert "Corporate KPIs" == xlsx_io.load(tmp_path / "b.xlsx").grid("Summary").rows[0][0]


BAD = sorted(case for case in BAD_FILES if not case.startswith("lossy_"))


@pytest.mark.parametrize("case", [*BAD, "no_indicator_sheets", "missing"])
def test_a_bad_input_is_named_and_nothing_is_written(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_report(split(load_sample())[0], tmp_path / "good.xlsx")
    if case == "no_indicator_sheets":
        bad = write_grids([SheetGrid("Notes", [["Just notes"]])], tmp_path / "notes.xlsx")
    elif case == "missing":
        bad = tmp_path / "missing.xlsx"
    else:
        bad = BAD_FILES[case](tmp_path)
    before = digests([good]) | (digests([bad]) if bad.is_file() else {})
    out = tmp_path / "out.xlsx"

    code, stdout, err = run(capsys, "combine", good, bad, "-o", out)

    assert 2 == code
    assert bad.name in err and "nothing was written" in err
    assert "Traceback" not in stdout + err
    assert not out.exists()
    assert before == digests([good]) | (digests([bad]) if bad.is_file() else {})


def test_the_output_may_not_be_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parts = [write_report(r, tmp_path / f"{n}.xlsx") for n, r in enumerate(split(load_sample()))]
    before = digests(parts)

    code, _, err = run(capsys, "combine", *parts, "-o", parts[0])

    assert 2 == code and "never writes its inputs" in err
    assert before == digests(parts)


def test_an_earlier_combined_report_is_replaced_but_another_workbook_is_not(
    demo_split: tuple[Path, list[Path], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole, parts, _ = demo_split
    earlier = tmp_path / "earlier.xlsx"
    combine_files(parts[:1], earlier)
    foreign = shutil.copy(whole, tmp_path / "someones.xlsx")
    kept = digests([Path(foreign)])

    assert 0 == run(capsys, "combine", *parts, "-o", earlier)[0]
    code, _, err = run(capsys, "combine", *parts, "-o", foreign)

    assert PARTS == sum(
        1
        for row in xlsx_io.load(earlier).grid(SOURCES_SHEET).rows
        if row and row[0] in {p.name for p in parts}
    )
    assert 2 == code and "someones.xlsx" in err and "did not make" in err
    assert kept == digests([Path(foreign)])


@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_combined_report_prints_with_libreoffice(
    demo_split: tuple[Path, list[Path], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = demo_split[2]
    pdf = tmp_path / "corporate.pdf"

    code, _, err = run(capsys, "pdf", out, "-o", pdf)

    assert 0 == code, err
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert load_sample().title in text
    assert "Key Performance Indicator Summary" in text
    assert "sources" in text and "part2.xlsx" in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True
        )
        assert sorted(tmp_path.glob("page-*.png"))
