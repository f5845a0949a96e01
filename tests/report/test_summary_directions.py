"""The Summary's direction of travel counts (SPEC 8.1): per area and overall, Kent's sentence."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from kpixl.core.evaluate import evaluate
from kpixl.core.models import Direction, DirectionMethod, Indicator, Report, Result
from kpixl.report.directions import HEADING, counts, direction_columns, sentence
from kpixl.report.summary import summary_design
from kpixl.sample import load_sample
from tests.long_sample import long_sample

IMP, WOR, NCT = Direction.IMPROVING, Direction.WORSENING, Direction.NO_CLEAR_TREND


def _results(*directions: Direction | None) -> list[Result]:
    return [Result(ref=f"R{n}", direction=d) for n, d in enumerate(directions)]


@pytest.mark.parametrize(
    ("directions", "expected"),
    [
        ([IMP] * 11 + [NCT] * 21 + [WOR] * 7, "11 improving, 21 no clear trend, 7 worsening"),
        ([IMP, None], "1 improving"),
        ([None], "no direction of travel yet"),
        ([WOR, WOR], "2 worsening"),
    ],
)
def test_the_sentence_counts_as_kent_writes_it(
    directions: list[Direction | None], expected: str
) -> None:
    columns = direction_columns(DirectionMethod.REGRESSION, [])
    assert expected == sentence(_results(*directions), columns)


@pytest.mark.parametrize(
    ("method", "directions", "expected"),
    [
        (DirectionMethod.PREVIOUS_PERIOD, [], ["Improving", "No change", "Worsening"]),
        (DirectionMethod.REGRESSION, [], ["Improving", "No clear trend", "Worsening"]),
        (DirectionMethod.REGRESSION, [Direction.DOWN], ["Improving", "No clear trend",
                                                        "Worsening", "Down"]),
    ],
)  # fmt: skip
def test_columns_by_method(
    method: DirectionMethod, directions: list[Direction], expected: list[str]
) -> None:
    assert expected == [d.value for d in direction_columns(method, _results(*directions))]


def test_counts_end_with_those_without_a_direction() -> None:
    columns = direction_columns(DirectionMethod.REGRESSION, [])
    assert [1, 2, 0, 1] == counts(_results(IMP, NCT, NCT, None), columns)


def test_the_summary_table_totals_every_kpi() -> None:
    evaluation = evaluate(long_sample())
    design = summary_design(evaluation)
    cells = {(c.row, c.col): c.value for c in design.cells}
    (top,) = [r for (r, c), v in cells.items() if isinstance(v, str) and v.startswith(HEADING)]
    total_row = next(r for (r, c), v in sorted(cells.items()) if r > top and (c, v) == (0, "Total"))
    kpis = [r for i, r in evaluation.pairs() if i.is_kpi]
    found = Counter(r.direction for r in kpis)
    header = top + 2
    headers = [cells.get((header, col)) for col in range(1, 6)]
    assert ["\u25b2 Improving", "\u25ba No clear trend", "\u25bc Worsening", "N/A", "Total"] == (
        headers
    )
    assert [found[IMP], found[NCT], found[WOR], found[None], len(kpis)] == [
        cells[total_row, col] for col in range(1, 6)
    ]
    assert f"{found[IMP]} improving" in str(cells[top + 1, 0])


def test_the_direction_table_follows_the_rag_counts_and_stays_together() -> None:
    design = summary_design(evaluate(load_sample()))
    rows = {c.value: c.row for c in design.cells if isinstance(c.value, str)}
    assert rows["RAG counts – year to date"] < rows[f"{HEADING} – previous period"]


def test_up_and_down_get_columns_of_their_own() -> None:
    """A KPI without Target, Floor or Polarity goes Up or Down (SPEC 8.1): counted apart."""
    months = [date(2023, m, 1) for m in (8, 9, 10)]
    rising = Indicator(
        ref="U1", service_area="A", values=dict(zip(months, [1.0, 2.0, 3.0], strict=True))
    )
    falling = rising.model_copy(
        update={"ref": "D1", "values": dict(zip(months, [3.0, 2.0, 1.0], strict=True))}
    )
    report = Report(reporting_month=months[-1], indicators=(rising, falling))
    design = summary_design(evaluate(report))
    top = next(c.row for c in design.cells if str(c.value).startswith(HEADING))
    headers = {c.col: c.value for c in design.cells if c.row == top + 2}
    assert ["\u25b2 Improving", "\u25ba No change", "\u25bc Worsening", "\u25b2 Up",
            "\u25bc Down", "N/A", "Total"] == [headers[col] for col in range(1, 8)]  # fmt: skip
    assert {6: 10.0, 7: 10.0}.items() <= design.column_widths.items()
