"""Round-trip fidelity corpus: workbooks made by LibreOffice and by openpyxl with the parts
real users add. kpixl either carries each part through or refuses and names it."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from kpixl.cli import main
from tests.core.test_reference import ALERTS, KPI_RAGS
from tests.resilience.test_fuzz import cells
from tests.workbooks import computed_rows, sample_grids, write_grids

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fidelity") / "demo.xlsm"
    assert 0 == main(["demo", str(out)])
    return out


def _libreoffice(source: Path, target_filter: str, folder: Path) -> Path:
    """Open ``source`` in LibreOffice and save it with ``target_filter`` into ``folder``."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice
    profile = folder / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         target_filter, "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    suffix = target_filter.split(":")[0]
    made = folder / f"{source.stem}.{suffix}"
    assert made.exists()
    return made


def _calculate(source: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["calculate", str(source), "-o", str(out)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _assert_rated_like_the_report(path: Path) -> None:
    rows = computed_rows(load_workbook(path))
    assert {ref: (latest, ytd or "N/A") for ref, (latest, ytd) in KPI_RAGS.items()} == {
        ref: (rows[ref]["Latest RAG"], rows[ref]["YTD RAG"]) for ref in KPI_RAGS
    }
    assert ALERTS == {ref: rows[ref]["In expected range?"] for ref in ALERTS}


def _assert_inputs_kept(before: Path, after: Path) -> None:
    """Every cell outside Summary and Dashboard has the same value and type after the run
    (the inputs here were calculated before, so their computed columns come out the same)."""
    kept, now = cells(before), cells(after)
    generated = {"Summary", "Dashboard"}
    assert {} == {k: v for k, v in kept.items() if k[0] not in generated and now.get(k) != v}


def test_libreoffice_saved_xlsm_keeps_macros_ribbon_and_every_input(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = _libreoffice(demo, "xlsm:Calc MS Excel 2007 VBA XML", tmp_path)
    out = tmp_path / "rated.xlsm"
    code, text = _calculate(made, out, capsys)
    assert 0 == code, text
    _assert_rated_like_the_report(out)
    with zipfile.ZipFile(made) as before, zipfile.ZipFile(out) as after:
        assert before.read("xl/vbaProject.bin") == after.read("xl/vbaProject.bin")
        assert "customUI/customUI.xml" in after.namelist()
        assert "ui/extensibility" in after.read("_rels/.rels").decode()
    _assert_inputs_kept(made, out)


def test_libreoffice_saved_xlsx_with_a_ribbon_keeps_it(
    demo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The package writer copies the ribbon's parts and relationship unchanged."""
    monkeypatch.setenv("KPIXL_ENGINE", "package")  # the writer that carries it
    made = _libreoffice(demo, "xlsx", tmp_path)
    out = tmp_path / "rated.xlsx"
    code, text = _calculate(made, out, capsys)
    assert 0 == code, text
    with zipfile.ZipFile(made) as before, zipfile.ZipFile(out) as after:
        ribbon = [name for name in before.namelist() if name.startswith("customUI/")]
        assert ribbon
        assert all(before.read(name) == after.read(name) for name in ribbon)
        assert before.read("_rels/.rels") == after.read("_rels/.rels")
    _assert_rated_like_the_report(out)


def test_libreoffice_saved_xlsx_with_a_ribbon_is_refused_by_name_by_the_round_trip(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPIXL_ENGINE", "openpyxl")
    made = _libreoffice(demo, "xlsx", tmp_path)
    before = made.read_bytes()
    code, text = _calculate(made, tmp_path / "rated.xlsx", capsys)
    assert 2 == code
    assert "would lose a custom ribbon tab" in text
    assert before == made.read_bytes()


def test_libreoffice_saved_xlsx_without_a_ribbon_is_rated(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = _libreoffice(demo, "xlsx", tmp_path)
    plain = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            if info.filename.startswith("customUI/"):
                continue
            data = source.read(info)
            if info.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship[^>]*customUI[^>]*/>", b"", data)
            z.writestr(info, data)
    out = tmp_path / "rated.xlsx"
    code, text = _calculate(plain, out, capsys)
    assert 0 == code, text
    _assert_rated_like_the_report(out)
    _assert_inputs_kept(plain, out)


def test_openpyxl_made_workbook_keeps_what_users_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_grids(sample_grids(), tmp_path / "kpis.xlsx")
    book = load_workbook(source)
    finance = book["Finance"]
    finance["B2"].comment = Comment("Checked by the finance team", "Analyst")
    finance.column_dimensions["B"].width = 61
    validation = DataValidation(type="list", formula1='"KPI,Activity"')
    validation.add("C8:C40")
    finance.add_data_validation(validation)
    book.defined_names["TargetNote"] = DefinedName("TargetNote", attr_text="Finance!$H$8")
    notes: Workbook = book.create_sheet("Notes")
    notes["A1"] = "for the committee only"
    notes.sheet_state = "hidden"
    book.save(source)

    out = tmp_path / "rated.xlsx"
    code, text = _calculate(source, out, capsys)
    assert 0 == code, text
    rated = load_workbook(out)
    assert "Checked by the finance team" == rated["Finance"]["B2"].comment.text
    assert 61 == rated["Finance"].column_dimensions["B"].width
    assert ["C8:C40"] == [str(v.sqref) for v in rated["Finance"].data_validations.dataValidation]
    assert "Finance!$H$8" == rated.defined_names["TargetNote"].attr_text
    assert "hidden" == rated["Notes"].sheet_state
    _assert_inputs_kept(source, out)
