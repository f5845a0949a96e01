"""The command line on real files: exit codes, messages with places, and inputs left untouched."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kpixl.cli import main
from kpixl.workbook.grid import SheetGrid
from tests.workbook.badfiles import BAD_FILES
from tests.workbooks import by_name, find, sample_grids, sample_xlsx, set_cell, write_grids

Grids = list[SheetGrid]


def _digest(path: Path) -> str:
    if path.is_dir():
        return "directory"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _cell_edit(sheet: str, ref: str, header: object, value: object) -> Callable[[Grids], Grids]:
    """Change the cell of indicator ``ref`` under ``header`` on ``sheet``."""

    def edit(grids: Grids) -> Grids:
        grid = by_name(grids, sheet)
        row, _ = find(grid, ref)
        header_row, col = find(grid, header)
        assert header_row < row
        return set_cell(grids, sheet, row, col, value)

    return edit


def _drop_sheet(name: str) -> Callable[[Grids], Grids]:
    return lambda grids: [g for g in grids if g.name != name]


def _add_sheet(name: str, rows: list[list[object]]) -> Callable[[Grids], Grids]:
    return lambda grids: [*grids, SheetGrid(name, rows)]  # type: ignore[arg-type]


# name: (edit of the sample, exit code, text expected in the output)
DATA_CASES: dict[str, tuple[Callable[[Grids], Grids], int, str]] = {
    "duplicate_ref": (
        _cell_edit("Finance", "FN08", "Ref", "FN07"),
        1,
        "this Ref is used by more than one",
    ),
    "text_in_number": (_cell_edit("Finance", "FN07", "Target", "ninety"), 1, "Finance!"),
    "percent_typed_whole": (_cell_edit("Finance", "FN11", "Floor", 85), 1, "type 85%"),
    "missing_target": (_cell_edit("Finance", "FN08", "Target", None), 1, "Finance!"),
    "target_equals_floor": (_cell_edit("Finance", "FN08", "Floor", 0.98), 1, "Fill in Polarity"),
    "polarity_contradicts": (_cell_edit("Finance", "FN08", "Polarity", "Lower"), 1, "wrong side"),
    "upper_below_lower": (
        _cell_edit("Governance, Law & Democracy", "GL02b", "Upper", 100),
        1,
        "Swap them",
    ),
    "unknown_ytd_method": (_cell_edit("Finance", "FN07", "YTD method", "Median"), 1, "Median"),
    "unknown_frequency": (_cell_edit("Finance", "FN07", "Frequency", "Weekly"), 1, "Weekly"),
    "no_settings_sheet": (_drop_sheet("Settings"), 1, "There is no sheet named 'Settings'"),
    "foreign_summary_sheet": (_add_sheet("Summary", [["My own notes"]]), 2, "did not make"),
    "no_indicator_sheets": (
        lambda grids: [g for g in grids if g.name == "Settings"],
        2,
        "no indicator sheets",
    ),
}


@pytest.mark.parametrize("case", sorted(DATA_CASES))
def test_bad_data(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit, expected_code, expected_text = DATA_CASES[case]
    source = sample_xlsx(tmp_path / "kpis.xlsx", edit)
    before = _digest(source)
    code, out, err = _run(capsys, "calculate", str(source), "-o", str(tmp_path / "out.xlsx"))
    assert (expected_code, True) == (code, expected_text in out + err), out + err
    assert "Traceback" not in out + err
    assert before == _digest(source)
    assert (tmp_path / "out.xlsx").exists() == (code != 2)


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = BAD_FILES[case](tmp_path)
    before = _digest(source)
    code, out, err = _run(capsys, "calculate", str(source), "-o", str(tmp_path / "out.xlsx"))
    assert 2 == code
    assert source.name in err, err
    assert "Traceback" not in out + err
    assert before == _digest(source)
    assert not (tmp_path / "out.xlsx").exists()


def test_excel_lock_file_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = sample_xlsx(tmp_path / "kpis.xlsx")
    (tmp_path / "~$kpis.xlsx").write_bytes(b"owner")
    code, _, err = _run(capsys, "calculate", str(source), "--in-place")
    assert 2 == code
    assert "kpis.xlsx" in err and "open" in err


def test_a_colleagues_excel_lock_does_not_block_a_separate_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sample_xlsx(tmp_path / "kpis.xlsx")
    (tmp_path / "~$kpis.xlsx").write_bytes(b"owner")
    before = _digest(source)
    code, out, err = _run(capsys, "calculate", str(source), "-o", str(tmp_path / "rated.xlsx"))
    assert (0, "") == (code, err)
    assert "changes not yet saved in Excel are not included" in out
    assert (tmp_path / "rated.xlsx").is_file() and before == _digest(source)
    code, out, _ = _run(capsys, "check", str(source))
    assert 0 == code and "changes not yet saved in Excel are not included" in out


def test_a_missing_output_folder_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sample_xlsx(tmp_path / "kpis.xlsx")
    missing = tmp_path / "no such folder" / "rated.xlsx"
    code, out, err = _run(capsys, "calculate", str(source), "-o", str(missing))
    assert (2, "") == (code, out)
    assert f"The folder {missing.parent} does not exist" in err
    assert "Traceback" not in err and [source.name] == [p.name for p in tmp_path.iterdir()]


@pytest.mark.parametrize("suffix", [".csv", ".xlsm"])
def test_output_type_must_match(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sample_xlsx(tmp_path / "kpis.xlsx")
    code, _, err = _run(capsys, "calculate", str(source), "-o", str(tmp_path / f"out{suffix}"))
    assert 2 == code
    assert "out" in err


def test_formula_without_cached_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = sample_xlsx(
        tmp_path / "kpis.xlsx", _cell_edit("Finance", "FN07", "Target", "=0.8+0.1")
    )
    code, out, _ = _run(capsys, "check", str(source))
    assert 1 == code
    assert "formula whose result was never saved" in out


def test_protected_sheet_is_rated_and_stays_protected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sample_xlsx(tmp_path / "kpis.xlsx")
    book = load_workbook(source)
    book["Finance"].protection.sheet = True
    book.save(source)
    code, _, _ = _run(capsys, "calculate", str(source), "-o", str(tmp_path / "out.xlsx"))
    assert 0 == code
    assert load_workbook(tmp_path / "out.xlsx")["Finance"].protection.sheet


def test_check_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = sample_xlsx(tmp_path / "kpis.xlsx")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, _ = _run(capsys, "check", str(source))
    assert 0 == code
    assert "27 KPIs rated (latest: 18 GREEN, 3 AMBER, 6 RED); 11 of 23 activity indicators" in out
    assert before == sorted(p.name for p in tmp_path.iterdir())


def test_in_place_keeps_a_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = sample_xlsx(tmp_path / "kpis.xlsx")
    original = source.read_bytes()
    code, out, _ = _run(capsys, "calculate", str(source), "--in-place")
    assert 0 == code
    backups = [p for p in tmp_path.iterdir() if p.name != "kpis.xlsx"]
    assert [original] == [p.read_bytes() for p in backups]
    assert "Summary" in load_workbook(source).sheetnames


def test_second_run_replaces_its_own_sheets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sample_xlsx(tmp_path / "kpis.xlsx")
    assert 0 == _run(capsys, "calculate", str(source), "--in-place", "--no-backup")[0]
    first = load_workbook(source)
    assert 0 == _run(capsys, "calculate", str(source), "--in-place", "--no-backup")[0]
    second = load_workbook(source)
    assert first.sheetnames == second.sheetnames
    assert [[c.value for c in r] for r in first["Finance"].iter_rows()] == [
        [c.value for c in r] for r in second["Finance"].iter_rows()
    ]


def test_console_script_exit_code_and_no_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "missing.xlsx"
    run = subprocess.run(
        [sys.executable, "-m", "kpixl.cli", "check", str(missing)], capture_output=True, text=True
    )
    assert 2 == run.returncode
    assert "missing.xlsx" in run.stderr and "Traceback" not in run.stderr


def test_input_cells_are_unchanged_by_calculate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_grids(sample_grids(), tmp_path / "kpis.xlsx")
    _run(capsys, "calculate", str(source), "-o", str(tmp_path / "out.xlsx"))
    before, after = load_workbook(source), load_workbook(tmp_path / "out.xlsx")
    for ws in before.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                other = after[ws.title][cell.coordinate]
                assert (cell.value, cell.data_type) == (other.value, other.data_type), (
                    cell.coordinate
                )


@pytest.mark.parametrize(
    ("errors", "warnings", "expected"),
    [
        (0, 3, "3 warnings"),
        (1, 0, "1 error"),
        (2, 1, "2 errors and 1 warning"),
        (0, 0, "no problems"),
    ],
)
def test_problem_count_names_each_kind(errors: int, warnings: int, expected: str) -> None:
    from kpixl.cli import problem_count
    from kpixl.core.models import Problem, Severity

    problems = [Problem(severity=Severity.ERROR, message="e")] * errors
    problems += [Problem(severity=Severity.WARNING, message="w")] * warnings
    assert expected == problem_count(problems)


def test_rated_line_counts_only_kpis_actually_rated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sample_xlsx(tmp_path / "kpis.xlsx", _cell_edit("Finance", "FN07", "Target", None))
    code, out, _ = _run(capsys, "check", str(source))
    assert 1 == code
    assert "26 of 27 KPIs rated" in out
    assert "1 KPI has no latest rating" in out


@pytest.mark.libreoffice
def test_pdf_of_a_workbook_never_calculated_calculates_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sample_xlsx(tmp_path / "never-rated.xlsx")  # no Summary, no Dashboard yet
    before = _digest(source)
    code, out, err = _run(capsys, "pdf", str(source), "-o", str(tmp_path / "paper.pdf"))
    assert (0, "") == (code, err)
    assert "27 KPIs rated" in out
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "paper.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Key Performance Indicator Summary" in text
    assert "FN07" in text and "Marketing and Resident Experience" in text
    assert before == _digest(source)  # the input itself is never written
    assert [source.name, "paper.pdf"] == sorted(p.name for p in tmp_path.iterdir())
