"""The Summary's history sections (SPEC 8.3) as designed: after every count table, boxed
tables kept together on paper, no ``Ref: text`` outside the KPI rows (the contract's)."""

from __future__ import annotations

from datetime import date

from kpixl import evaluate, load_sample
from kpixl.core.history import HistoryRow, history_rows
from kpixl.core.models import Evaluation, Rag
from kpixl.report.design import SheetDesign
from kpixl.report.summary import summary_design
from kpixl.report.summary_history import NO_EARLIER_RUN, NOT_YET_SUBMITTED

EVALUATION = evaluate(load_sample())  # Oct 2023
SEP = date(2023, 9, 1)


def _texts(design: SheetDesign) -> dict[int, list[object]]:
    rows: dict[int, list[object]] = {}
    for cell in design.cells:
        rows.setdefault(cell.row, []).append(cell.value)
    return rows


def _first_col(design: SheetDesign) -> list[str]:
    return [str(c.value) for c in sorted(design.cells, key=lambda c: c.row) if c.col == 0]


def _september(evaluation: Evaluation, **rags: Rag | None) -> tuple[HistoryRow, ...]:
    """This run's rows, as if last month, with some Latest RAGs changed."""
    rows = history_rows(evaluation)
    return tuple(
        r.model_copy(update={"reporting_month": SEP, "latest_rag": rags.get(r.ref, r.latest_rag)})
        for r in rows
        if r.ref != "FN11"  # FN11 is new since September
    )


def test_without_a_history_the_summary_is_as_before() -> None:
    texts = _first_col(summary_design(EVALUATION))
    assert NOT_YET_SUBMITTED not in texts
    assert not any(text.startswith("Changes since") for text in texts)


def test_an_empty_history_says_changes_show_from_next_month_after_the_counts() -> None:
    texts = _first_col(summary_design(EVALUATION, history=()))
    assert texts.index(NO_EARLIER_RUN) > texts.index("RAG counts – year to date")
    assert texts.index(NOT_YET_SUBMITTED) > texts.index(NO_EARLIER_RUN)


def test_changes_since_the_previous_month_in_the_history() -> None:
    fn06 = EVALUATION.result("FN06").latest_rag  # RED in October
    assert fn06 is Rag.RED
    history = _september(EVALUATION, FN06=Rag.GREEN, GL01=Rag.RED)
    design = summary_design(EVALUATION, history=history)
    texts = _first_col(design)
    rows = _texts(design)

    heading = texts.index("Changes since Sep 2023")
    red, green = texts.index("Newly RED (1)"), texts.index("Newly GREEN (recovered) (1)")
    assert (
        heading
        < red
        < green
        < texts.index("New since Sep 2023 (1)")
        < texts.index(NOT_YET_SUBMITTED)
    )
    description = next(i.description for i in EVALUATION.report.indicators if i.ref == "FN06")
    (fn06_row,) = [r for r, values in rows.items() if values[0] == f"FN06 – {description}"]
    assert ["GREEN", "RED"] == rows[fn06_row][1:]
    assert any(str(v[0]).startswith("GL01 – ") and v[1:] == ["RED", "GREEN"] for v in rows.values())


def test_nothing_changed_is_said_in_one_line() -> None:
    design = summary_design(EVALUATION, history=_september(EVALUATION) + _fn11())
    assert "No RAG rating, expected range or indicator has changed since Sep 2023." in (
        _first_col(design)
    )


def test_no_row_after_the_kpi_tables_reads_as_a_kpi_row() -> None:
    """The contract reads ``<Ref>: <description>`` in the first column as a KPI row."""
    design = summary_design(EVALUATION, history=_september(EVALUATION, FN06=Rag.GREEN))
    texts = _first_col(design)
    after = texts[texts.index("RAG counts – latest period") :]
    assert [] == [text for text in after if ": " in text]


def test_each_history_table_is_kept_together_on_paper() -> None:
    history = _september(EVALUATION, FN06=Rag.GREEN, GL01=Rag.RED)
    design = summary_design(EVALUATION, history=history)
    rows = _texts(design)
    bands = [r for r, values in rows.items() if values[1:] in (["Was", "Now"], ["Due"])]
    assert len(bands) >= 4
    assert design.row_breaks[-1] > bands[0]  # the sections run over more than one page
    for band in bands:  # a page never ends on a table's band row (a break is after a row)
        assert band not in design.row_breaks


def _fn11() -> tuple[HistoryRow, ...]:
    (row,) = [r for r in history_rows(EVALUATION) if r.ref == "FN11"]
    return (row.model_copy(update={"reporting_month": SEP}),)
