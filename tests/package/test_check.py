"""``kpixl check`` reads with the fast reader: a far-away comment costs nothing there (the
openpyxl path builds a grid to XFD1048576 for it and runs out of memory)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment

from kpixl.headless import check_file
from tests.workbooks import sample_xlsx


def test_check_rates_a_workbook_with_a_comment_in_the_far_corner(tmp_path: Path) -> None:
    plain = sample_xlsx(tmp_path / "plain.xlsx")
    workbook = load_workbook(plain)
    indicator_sheet = workbook.worksheets[-1]
    indicator_sheet["XFD1048576"].comment = Comment("see the notes", "analyst")
    far = tmp_path / "far.xlsx"
    workbook.save(far)
    expected = check_file(plain)
    outcome = check_file(far)
    assert outcome.problems == expected.problems
    assert outcome.evaluation == expected.evaluation
    assert len(outcome.read.report.indicators) == len(expected.read.report.indicators) > 0
