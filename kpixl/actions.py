"""The ribbon's actions, described once: the ribbon tips, the ``KpixlRibbon`` VBA module, the
Guidance sheet and the message box titles are all written from :data:`ACTIONS`.

As :mod:`kpixl.udf_specs` is for the worksheet functions: ``kpixl.template.ribbon`` turns
these into ``customUI/customUI.xml`` and the VBA callbacks, ``kpixl.template.guidance`` into
the "Running it" lines, and :mod:`kpixl.xl` titles its message boxes with the labels. What an
action changes is said as it happens inside Excel, where the buttons run.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ACTIONS", "CALCULATE_RAG", "CHECK_DATA", "EXPORT_PDF", "Action"]


@dataclass(frozen=True)
class Action:
    """One ribbon button and the ``kpixl.xl`` entry point it runs."""

    label: str
    """The button's label, the message box title and the name the Guidance uses."""
    control_id: str
    """The ribbon button's id."""
    macro: str
    """The ``Sub`` in the ``KpixlRibbon`` VBA module the button calls."""
    entry_point: str
    """The function in :mod:`kpixl.xl` the macro runs through xlwings' ``RunPython``."""
    group: str
    """The label of the ribbon group the button sits in."""
    image: str
    """Office's built-in icon (``imageMso``)."""
    keytip: str
    does: str
    """What it does, one or two sentences."""
    changes: str
    """What it changes in the workbook, and what it leaves alone."""

    @property
    def tip(self) -> str:
        """The ribbon supertip and the Guidance text: what it does, then what it changes."""
        return f"{self.does} {self.changes}"

    @property
    def run_python(self) -> str:
        """The Python code the macro hands to ``RunPython``."""
        return f"import kpixl.xl; kpixl.xl.{self.entry_point}()"


_INPUTS_KEPT = "Cells you typed are never changed."

CALCULATE_RAG = Action(
    label="Calculate RAG",
    control_id="kpixlCalculateRag",
    macro="CalculateRag",
    entry_point="calculate_rag",
    group="Rate",
    image="CalculateNow",
    keytip="R",
    does="Rates every indicator sheet against its Target and Floor.",
    changes=(
        "Fills the computed columns (Latest period to Checks) and rebuilds the Summary and "
        f"Dashboard sheets. {_INPUTS_KEPT}"
    ),
)

CHECK_DATA = Action(
    label="Check data",
    control_id="kpixlCheckData",
    macro="CheckData",
    entry_point="check_data",
    group="Rate",
    image="DataValidation",
    keytip="C",
    does="Lists the data problems on every indicator sheet (sheet, cell, Ref and what to do).",
    changes=(
        "Fills the computed columns, the Checks column included, and leaves the Summary and "
        f"Dashboard sheets as they are. {_INPUTS_KEPT}"
    ),
)

EXPORT_PDF = Action(
    label="Export PDF",
    control_id="kpixlExportPdf",
    macro="ExportPdf",
    entry_point="export_pdf",
    group="Publish",
    image="FileSaveAsPdfOrXps",
    keytip="P",
    does=(
        "Saves the Summary and Dashboard sheets as one print-ready PDF, named after this "
        "workbook, in its folder (Excel for Windows; elsewhere it says how to make the PDF "
        "with kpixl pdf)."
    ),
    changes="First it does what Calculate RAG does, so it changes what Calculate RAG changes.",
)

ACTIONS: tuple[Action, ...] = (CALCULATE_RAG, CHECK_DATA, EXPORT_PDF)
"""Every button, in ribbon order."""
