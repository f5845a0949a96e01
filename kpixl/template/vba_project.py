"""The template's VBA project: which modules, from which text sources, in which order.

* ``ThisWorkbook`` and one document module per sheet (code names ``Sheet1`` ... ``SheetN``);
* ``xlwings`` and ``Dictionary``: xlwings' standalone module and its Mac dictionary class,
  read from the installed (pinned) xlwings package at build time, as ``xlwings release``
  imports them;
* ``xlwings_udfs``: the worksheet-function wrappers, generated from :mod:`kpixl.udf_specs`;
* ``KpixlRibbon``: the ribbon callbacks, ``vba/KpixlRibbon.bas`` in this package.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from kpixl.template.errors import TemplateError
from kpixl.template.ovba import (
    DEFAULT_REFERENCES,
    Module,
    build_vba_project,
    document_module,
    module_from_bas,
    module_from_cls,
)
from kpixl.template.udf_vba import describe_functions_source, udf_module_source

__all__ = [
    "OWN_MODULES",
    "XLWINGS_MODULE_FILES",
    "XLWINGS_VERSION",
    "own_source",
    "template_modules",
    "vba_project_bytes",
    "xlwings_dir",
    "xlwings_source",
]

XLWINGS_VERSION = "0.37.8"
"""The xlwings version the wrappers and the standalone module belong to (pyproject pins it)."""
XLWINGS_MODULE_FILES = ("xlwings.bas", "addin/Dictionary.cls")
"""xlwings' standalone VBA, relative to the installed ``xlwings`` package folder."""
OWN_MODULES = ("KpixlRibbon.bas",)
"""kpixl's own VBA sources in ``kpixl/template/vba``."""
_ENCODING = "cp1252"


def xlwings_dir() -> Path:
    """The installed xlwings package folder (found without importing xlwings)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise TemplateError("xlwings is not installed: run pip install xlwings==" + XLWINGS_VERSION)
    return Path(spec.origin).parent


def xlwings_source(relative: str) -> str:
    """The text of one of xlwings' VBA files, checked to belong to the pinned version."""
    path = xlwings_dir() / relative
    try:
        text = path.read_bytes().decode(_ENCODING)
    except OSError as exc:
        raise TemplateError(f"{path} cannot be read ({exc.strerror}): reinstall xlwings.") from exc
    if relative.endswith(".bas") and f"'Version: {XLWINGS_VERSION}" not in text.splitlines():
        raise TemplateError(
            f"{path} is not xlwings {XLWINGS_VERSION}'s module: run "
            f"pip install xlwings=={XLWINGS_VERSION} (the wrappers are version-specific)."
        )
    return text


def own_source(name: str) -> str:
    """The text of ``vba/<name>`` in this package."""
    return resources.files("kpixl.template").joinpath("vba", name).read_text(_ENCODING)


def template_modules(sheet_code_names: Sequence[str]) -> list[Module]:
    """Every module of the template's project, in project order."""
    bas, cls = (xlwings_source(relative) for relative in XLWINGS_MODULE_FILES)
    return [
        document_module("ThisWorkbook", "workbook", describe_functions_source()),
        *(document_module(name, "sheet") for name in sheet_code_names),
        module_from_bas(bas),
        module_from_cls(cls),
        module_from_bas(udf_module_source()),
        *(module_from_bas(own_source(name)) for name in OWN_MODULES),
    ]


def vba_project_bytes(sheet_code_names: Sequence[str]) -> bytes:
    """``xl/vbaProject.bin`` for a workbook whose sheets have these code names."""
    return build_vba_project(template_modules(sheet_code_names), DEFAULT_REFERENCES)
