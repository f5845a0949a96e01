"""The ribbon actions are described once (kpixl/actions.py) and every text that names them
says the same, true thing: the ribbon tips, the KpixlRibbon VBA, the Guidance sheet and the
message box titles."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree

import kpixl.xl
from kpixl.actions import ACTIONS, CHECK_DATA, EXPORT_PDF, Action
from kpixl.template.guidance import GUIDANCE
from kpixl.template.ribbon import CUSTOM_UI_NAMESPACE, ribbon_module_source, ribbon_xml

_BUTTON = f"{{{CUSTOM_UI_NAMESPACE}}}button"


def _all_texts() -> str:
    guidance = " ".join(part for line in GUIDANCE for part in line)
    return " ".join([guidance, ribbon_xml().decode(), ribbon_module_source()])


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.macro)
def test_the_guidance_describes_each_button_with_its_tip(action: Action) -> None:
    assert [f"On the KPI Dashboard tab: {action.tip}"] == [
        text for kind, label, text in GUIDANCE if label == action.label
    ]


def test_the_ribbon_has_a_button_per_action_in_order() -> None:
    buttons = ElementTree.fromstring(ribbon_xml()).iter(_BUTTON)
    assert [(a.control_id, a.label, a.tip) for a in ACTIONS] == [
        (b.get("id"), b.get("label"), b.get("supertip")) for b in buttons
    ]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.macro)
def test_each_action_runs_an_entry_point_of_kpixl_xl(action: Action) -> None:
    assert action.entry_point in kpixl.xl.__all__
    assert f'    RunPython "{action.run_python}"\n' in ribbon_module_source()


def test_check_data_says_it_writes_the_computed_columns() -> None:
    assert "Fills the computed columns, the Checks column included" in CHECK_DATA.tip
    assert "leaves the Summary and Dashboard sheets as they are" in CHECK_DATA.tip


def test_export_pdf_says_it_saves_summary_and_dashboard() -> None:
    assert EXPORT_PDF.does.startswith("Saves the Summary and Dashboard sheets as one")


@pytest.mark.parametrize(
    "untrue",
    ["pip install kpixl ", "pip install kpixl)", "without changing anything", "changes nothing"],
)
def test_no_text_says_what_is_not_so(untrue: str) -> None:
    assert untrue not in _all_texts()


def test_the_guidance_says_how_to_install_kpixl() -> None:
    python = next(text for _, label, text in GUIDANCE if label == "Python")
    assert "kpixl is not on PyPI" in python
    assert "install.cmd from the kpixl bundle" in python
    assert r"%LOCALAPPDATA%\kpixl\venv\Scripts\pythonw.exe" in python  # no person's path
    assert "#KPI: Python/kpixl not installed on this PC" in python  # what the cells say


def test_every_tip_fits_the_vba_code_page() -> None:
    assert all(action.tip.isascii() or action.tip.encode("cp1252") for action in ACTIONS)
