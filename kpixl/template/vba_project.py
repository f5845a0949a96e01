"""The template's VBA project: which modules, from which text sources, in which order.

* ``ThisWorkbook`` and one document module per sheet (code names ``Sheet1`` ... ``SheetN``);
* ``xlwings`` and ``Dictionary``: xlwings' standalone module and its Mac dictionary class,
  read from the installed (pinned) xlwings package at build time, as ``xlwings release``
  imports them;
* ``xlwings_udfs``: the worksheet-function wrappers, generated from :mod:`kpixl.udf_specs`;
* ``KpixlRibbon``: the ribbon callbacks, generated from :mod:`kpixl.actions`
  (:mod:`.ribbon`).

Every module's text must fit code page 1252; a character that does not is reported naming
the module, the line and the source to fix.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from kpixl.template.errors import TemplateError
from kpixl.template.ovba import (
    DEFAULT_REFERENCES,
    Module,
    OvbaError,
    build_vba_project,
    document_module,
    encode_mbcs,
    module_from_bas,
    module_from_cls,
)
from kpixl.template.ribbon import ribbon_module_source
from kpixl.template.udf_vba import UDF_MODULE_NAME, describe_functions_source, udf_module_source
from kpixl.udf_specs import SPECS, UdfSpec

__all__ = [
    "XLWINGS_MODULE_FILES",
    "XLWINGS_VERSION",
    "template_modules",
    "vba_project_bytes",
    "xlwings_dir",
    "xlwings_source",
]

XLWINGS_VERSION = "0.37.8"
"""The xlwings version the wrappers and the standalone module belong to (pyproject pins it)."""
XLWINGS_MODULE_FILES = ("xlwings.bas", "addin/Dictionary.cls")
"""xlwings' standalone VBA, relative to the installed ``xlwings`` package folder."""
_ORIGINS = {
    "ThisWorkbook": "the function descriptions in kpixl/udf_specs.py",
    UDF_MODULE_NAME: "kpixl/udf_specs.py",
    "KpixlRibbon": "the ribbon actions in kpixl/actions.py",
}
"""Where the text of each generated module comes from (the others are xlwings' files)."""
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


def template_modules(
    sheet_code_names: Sequence[str], specs: Sequence[UdfSpec] = SPECS
) -> list[Module]:
    """Every module of the template's project, in project order."""
    bas, cls = (xlwings_source(relative) for relative in XLWINGS_MODULE_FILES)
    return [
        document_module("ThisWorkbook", "workbook", describe_functions_source(specs)),
        *(document_module(name, "sheet") for name in sheet_code_names),
        module_from_bas(bas),
        module_from_cls(cls),
        module_from_bas(udf_module_source(specs)),
        module_from_bas(ribbon_module_source()),
    ]


def vba_project_bytes(sheet_code_names: Sequence[str], specs: Sequence[UdfSpec] = SPECS) -> bytes:
    """``xl/vbaProject.bin`` for a workbook whose sheets have these code names."""
    modules = template_modules(sheet_code_names, specs)
    for module in modules:
        origin = _ORIGINS.get(module.name, f"xlwings {XLWINGS_VERSION}'s {module.name}")
        encode_mbcs(module.stored_text(), f"VBA module {module.name} (made from {origin})")
    try:
        return build_vba_project(modules, DEFAULT_REFERENCES)
    except OvbaError as exc:
        raise TemplateError(f"The VBA project cannot be built: {exc}") from exc
