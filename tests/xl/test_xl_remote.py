"""The RunPython entry points on xlwings' remote engine: what they write, how many calls they
make, what they tell the user; and the pure helpers of the xlwings adapter."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import xlwings as xw

from kpixl.core.models import Problem, Severity
from kpixl.workbook import contract
from kpixl.workbook.xlwings_io import excel_value, read_grids, rectangles
from kpixl.xl import alert_mode, check_data, export_pdf, problems_message
from tests.workbook.grids import KPI, book, changed
from tests.xl.remote_model import Formula, payload
from tests.xl.workbooks import run_remote, sample_grids, write_xlsx

remote = pytest.mark.remote


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_xlsx(sample_grids(), tmp_path_factory.mktemp("xl") / "sample.xlsx")


def _with_sheet(path: Path, name: str, marked: bool) -> Path:
    """A copy of ``path`` with a sheet ``name`` holding "mine", marked as kpixl's or not."""
    from openpyxl import load_workbook
    from openpyxl.workbook.defined_name import DefinedName

    wb = load_workbook(path)
    ws = wb.create_sheet(name)
    ws["A1"] = "mine"
    if marked:
        ws.defined_names.add(DefinedName(contract.GENERATED_MARK, attr_text=f"{name}!$A$1"))
    out = path.with_name(f"{path.stem}-{name}-{marked}.xlsx")
    wb.save(out)
    return out


@remote
def test_sample_action_count_grows_with_sheets_not_cells(sample: Path) -> None:
    run, _ = run_remote(sample)
    sheets = len(sample_grids())
    areas = sheets - 1  # one indicator sheet per service area, plus Settings
    per_sheet = Counter(
        run.model.sheets[a["sheet_position"]].name if a["sheet_position"] is not None else "-"
        for a in run.actions
    )
    generated = {name: per_sheet[name] for name in contract.GENERATED_SHEETS}
    inputs = len(run.actions) - sum(generated.values())
    print(f"\nactions: {len(run.actions)} in all; {inputs} for {sheets} input sheets; {generated}")
    # per input sheet: its block, kpixl's label rules (one clear, three per coloured column)
    # and a few number-format runs
    assert inputs <= 6 + 16 * sheets
    for name, count in generated.items():  # per service area: its section's styled bands
        assert count <= 40 + 110 * areas, name


@remote
def test_calculate_adds_marked_generated_sheets_at_the_end(sample: Path) -> None:
    run, _ = run_remote(sample)
    names = [sheet.name for sheet in run.model.sheets]
    assert [*[g.name for g in sample_grids()], *contract.GENERATED_SHEETS] == names
    for name in contract.GENERATED_SHEETS:
        assert {contract.GENERATED_MARK} == run.model.sheet(name).names
    visible = {sheet.name: sheet.visible for sheet in run.model.sheets}
    assert not visible.pop(contract.HISTORY_SHEET)
    assert all(visible.values())


@remote
def test_no_cell_is_written_as_a_formula(sample: Path) -> None:
    run, _ = run_remote(sample)
    formulas = [
        (sheet.name, key)
        for sheet in run.model.sheets
        for key, value in sheet.cells.items()
        if isinstance(value, Formula)
    ]
    assert [] == formulas


@remote
def test_calculate_reports_success_in_one_message_box(sample: Path) -> None:
    run, _ = run_remote(sample)
    ((text, title, mode),) = run.model.alerts
    assert ("kpixl: Calculate RAG", "info") == (title, mode)
    assert "Rated 50 indicators" in text
    assert "No data problems found." in text


@remote
def test_problems_are_counted_and_located_in_the_message(tmp_path: Path) -> None:
    path = write_xlsx(book(changed(KPI, J="about 80%"), KPI), tmp_path / "bad.xlsx")
    run, _ = run_remote(path)
    ((text, _, mode),) = run.model.alerts
    assert "critical" == mode
    assert "data problem" in text
    assert "- Finance!J5 (FN07):" in text


@remote
@pytest.mark.parametrize("name", ["Summary", "dashboard"])
def test_a_sheet_kpixl_did_not_make_is_never_overwritten(sample: Path, name: str) -> None:
    run, _ = run_remote(_with_sheet(sample, name, marked=False))
    assert ["alert"] == [a["func"] for a in run.actions]
    ((text, _, mode),) = run.model.alerts
    assert "critical" == mode
    assert f"sheet named '{name}' that kpixl did not make" in text
    assert "mine" == run.model.sheet(name).cells[0, 0]


@remote
def test_its_own_generated_sheet_is_cleared_and_rewritten(sample: Path) -> None:
    run, _ = run_remote(_with_sheet(sample, "Summary", marked=True))
    funcs = [a["func"] for a in run.actions]
    assert 2 == funcs.count("addSheet")  # only the Dashboard and the history are new
    assert 1 == funcs.count("sheetClear")
    assert "mine" not in run.model.sheet("Summary").values().values()


@remote
def test_check_data_writes_only_the_computed_columns(tmp_path: Path) -> None:
    path = write_xlsx(book(changed(KPI, E=None)), tmp_path / "check.xlsx")
    run, _ = run_remote(path, check_data)
    funcs = Counter(a["func"] for a in run.actions)
    rules = {"clearConditionalFormats": 1, "addConditionalFormat": 9}  # kpixl's, three a column
    assert {"setValues": 1, "setNumberFormat": 1, "alert": 1, **rules} == dict(funcs)
    assert "kpixl: Check data" == run.model.alerts[0][1]


@remote
def test_export_pdf_off_windows_says_what_to_do(sample: Path) -> None:
    run, _ = run_remote(sample, export_pdf)
    ((text, title, _),) = run.model.alerts
    assert "kpixl: Export PDF" == title
    assert "kpixl pdf" in text
    assert ["alert"] == [a["func"] for a in run.actions]


@remote
def test_a_workbook_without_indicator_sheets_gets_a_message_not_a_traceback(
    tmp_path: Path,
) -> None:
    path = write_xlsx(book()[:1], tmp_path / "settings-only.xlsx")
    run, _ = run_remote(path)
    ((text, _, mode),) = run.model.alerts
    assert "critical" == mode
    assert text.startswith("Calculate RAG stopped: ")


@remote
def test_reading_starts_at_a1_when_the_used_range_does_not(tmp_path: Path) -> None:
    data = payload(write_xlsx(book(), tmp_path / "b.xlsx"))
    data["sheets"][0]["used_range_address"] = "A2:B5"
    grids = read_grids(xw.Book(json=data))
    assert ["Setting", "Value"] == list(grids[0].rows[0])
    assert datetime(2023, 10, 15) == grids[0].value(3, 1)
    assert 4 == grids[0].value(4, 1)


@pytest.mark.parametrize(
    ("cells", "free", "expected"),
    [
        ([], (), []),
        ([(0, 0), (0, 1), (1, 0), (1, 1)], (), [(0, 0, 1, 1)]),
        ([(0, 0), (0, 2), (1, 0), (1, 2)], (), [(0, 0, 1, 0), (0, 2, 1, 2)]),
        ([(0, 0), (0, 2), (1, 0), (1, 2)], [(0, 1), (1, 1)], [(0, 0, 1, 2)]),
        ([(0, 0), (2, 0)], (), [(0, 0, 0, 0), (2, 0, 2, 0)]),
        ([(0, 0), (1, 0), (1, 1)], (), [(0, 0, 0, 0), (1, 0, 1, 1)]),
        ([(0, 0), (3, 0)], [(1, 0), (2, 0)], [(0, 0, 3, 0)]),  # down through free rows
        ([(0, 0), (3, 0)], [(1, 0)], [(0, 0, 0, 0), (3, 0, 3, 0)]),  # (2, 0) matters
        ([(0, 0), (1, 1)], [(1, 0), (2, 0)], [(0, 0, 0, 0), (1, 1, 1, 1)]),  # ends on a cell
    ],
)
def test_rectangles_cover_exactly_the_cells(
    cells: list[tuple[int, int]],
    free: list[tuple[int, int]],
    expected: list[tuple[int, int, int, int]],
) -> None:
    assert expected == rectangles(cells, free)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=SUM(A1)", "'=SUM(A1)"), ("Oct-23", "'Oct-23"), ("", None), (0.5, 0.5), (None, None)],
)
def test_text_is_written_with_the_text_prefix(value: object, expected: object) -> None:
    assert expected == excel_value(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("count", "listed", "more"), [(1, 1, None), (5, 5, None), (8, 5, 3)])
def test_problems_message_lists_the_first_few(count: int, listed: int, more: int | None) -> None:
    problems = tuple(
        Problem(severity=Severity.ERROR, message=f"Problem {n}.", ref=f"R{n}", sheet="S", cell="A1")
        for n in range(count)
    )
    lines = problems_message(problems).splitlines()
    assert [f"- S!A1 (R{n}): Problem {n}." for n in range(listed)] == lines[1 : listed + 1]
    assert listed + 1 + (more is not None) == len(lines)
    if more is not None:
        assert f"... and {more} more." == lines[-1]


@pytest.mark.parametrize(
    ("message", "ref", "line"),
    [
        ("FN07: this KPI has no Target.", "FN07", "- Finance!E5 (FN07): this KPI has no Target."),
        ("The value is text.", "FN07", "- Finance!E5 (FN07): The value is text."),
        ("FN07: no Target.", None, "- Finance!E5: FN07: no Target."),
    ],
)
def test_problems_message_says_the_ref_once(message: str, ref: str | None, line: str) -> None:
    problem = Problem(severity=Severity.ERROR, message=message, ref=ref, sheet="Finance", cell="E5")
    assert line == problems_message((problem,)).splitlines()[1]


@pytest.mark.parametrize(
    ("severities", "mode"),
    [
        ((Severity.WARNING,), "info"),
        ((Severity.WARNING, Severity.WARNING), "info"),
        ((Severity.WARNING, Severity.ERROR), "critical"),
        ((Severity.ERROR,), "critical"),
    ],
)
def test_warnings_only_get_the_information_icon(
    severities: tuple[Severity, ...], mode: str
) -> None:
    problems = tuple(Problem(severity=s, message="x") for s in severities)
    assert mode == alert_mode(problems)


@remote
def test_a_run_with_only_warnings_says_so_with_the_information_icon(tmp_path: Path) -> None:
    path = write_xlsx(book(changed(KPI, F=None)), tmp_path / "warning.xlsx")
    run, _ = run_remote(path)
    ((text, _, mode),) = run.model.alerts
    assert "info" == mode
    assert "- Finance!F5 (FN07): this KPI has no Floor Standard" in text
