"""SPEC 8.5 inside Excel (xlwings' remote engine, its actions replayed on a model): the Charts
sheet gets one line chart per KPI through the chart API, and a re-run replaces them. The
remote engine has no sparklines: the Trend column is drawn by Windows Excel's COM
``SparklineGroups.Add`` only (``kpixl.workbook.xlwings_charts``), which no test here can run."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpixl.headless import calculate_file
from tests.workbooks import sample_grids, with_settings
from tests.xl.workbooks import run_remote, write_xlsx

pytestmark = pytest.mark.remote
KPIS_WITH_VALUES = 27


def _source(folder: Path) -> Path:
    return write_xlsx(with_settings(sample_grids(), Charts="Yes"), folder / "in.xlsx")


def test_one_line_chart_per_kpi_over_its_data_block(tmp_path: Path) -> None:
    run, _ = run_remote(_source(tmp_path))
    charts = run.model.sheet("Charts").charts
    assert KPIS_WITH_VALUES == len(charts)
    assert {"Line"} == {chart["type"] for chart in charts}
    assert {"Rows"} == {chart["plot_by"] for chart in charts}
    assert {"Charts"} == {chart["source"][0] for chart in charts}
    assert ["$A$5", "$I$5", "$A$20"] == [chart["anchor"] for chart in charts[:3]]
    assert charts[0]["title"].startswith("FN06 ")


def test_a_rerun_replaces_the_charts(tmp_path: Path) -> None:
    rated = calculate_file(_source(tmp_path), tmp_path / "rated.xlsx").path
    run, _ = run_remote(rated)
    deleted = [a for a in run.actions if a["func"] == "deleteChart"]
    assert KPIS_WITH_VALUES == len(deleted)
    assert KPIS_WITH_VALUES == len(run.model.sheet("Charts").charts)
