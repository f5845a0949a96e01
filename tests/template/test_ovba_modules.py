"""Module text conventions: exported .bas / .cls to stored text, document modules."""

from __future__ import annotations

import pytest

from kpixl.template.ovba import (
    Module,
    OvbaError,
    document_module,
    module_from_bas,
    module_from_cls,
)

from .ovba_support import xlwings_dir

CLS_EXPORT = (
    "VERSION 1.0 CLASS\n"
    "BEGIN\n"
    "  MultiUse = -1  'True\n"
    "END\n"
    'Attribute VB_Name = "KpiRow"\n'
    "Attribute VB_GlobalNameSpace = False\n"
    "Attribute VB_Creatable = False\n"
    "Attribute VB_PredeclaredId = False\n"
    "Attribute VB_Exposed = True\n"
    'Attribute VB_Description = "One indicator row"\n'
    "Option Explicit\n"
    "Public Property Get Item() As Variant\n"
    "Attribute Item.VB_UserMemId = 0\n"
    "End Property\n"
)


def test_bas_export_is_stored_as_is_with_crlf() -> None:
    module = module_from_bas('Attribute VB_Name = "KpiMacros"\nSub Go()\nEnd Sub\n')
    assert Module("KpiMacros", "standard", module.source) == module
    assert 'Attribute VB_Name = "KpiMacros"\r\nSub Go()\r\nEnd Sub\r\n' == module.stored_text()


def test_bas_export_without_a_final_newline_gets_one() -> None:
    module = module_from_bas('Attribute VB_Name = "M"\r\nSub Go()\r\nEnd Sub')
    assert module.stored_text().endswith("End Sub\r\n")


def test_bas_export_must_start_with_its_name() -> None:
    with pytest.raises(OvbaError, match="VB_Name"):
        module_from_bas("Sub Go()\nEnd Sub\n")


def test_cls_export_becomes_the_stored_class_text() -> None:
    assert (
        'Attribute VB_Name = "KpiRow"\r\n'
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\n"
        "Attribute VB_Creatable = False\r\n"
        "Attribute VB_PredeclaredId = False\r\n"
        "Attribute VB_Exposed = True\r\n"
        "Attribute VB_TemplateDerived = False\r\n"
        "Attribute VB_Customizable = False\r\n"
        'Attribute VB_Description = "One indicator row"\r\n'
        "Option Explicit\r\n"
        "Public Property Get Item() As Variant\r\n"
        "Attribute Item.VB_UserMemId = 0\r\n"
        "End Property\r\n"
    ) == module_from_cls(CLS_EXPORT).stored_text()


def test_cls_export_gives_a_class_module() -> None:
    module = module_from_cls(CLS_EXPORT)
    assert ("KpiRow", "class") == (module.name, module.kind)


def test_cls_preamble_without_end_is_refused() -> None:
    with pytest.raises(OvbaError, match="without END"):
        module_from_cls("VERSION 1.0 CLASS\nBEGIN\n")


@pytest.mark.parametrize(
    ("document", "base"),
    [
        ("workbook", "0{00020819-0000-0000-C000-000000000046}"),
        ("sheet", "0{00020820-0000-0000-C000-000000000046}"),
    ],
)
def test_document_module_header(document: str, base: str) -> None:
    module = document_module("Doc1", document, "Option Explicit\n")  # type: ignore[arg-type]
    assert (
        'Attribute VB_Name = "Doc1"\r\n'
        f'Attribute VB_Base = "{base}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\n"
        "Attribute VB_Creatable = False\r\n"
        "Attribute VB_PredeclaredId = True\r\n"
        "Attribute VB_Exposed = True\r\n"
        "Attribute VB_TemplateDerived = False\r\n"
        "Attribute VB_Customizable = True\r\n"
        "Option Explicit\r\n"
    ) == module.stored_text()
    assert "document" == module.kind


@pytest.mark.parametrize(
    ("name", "kind", "source", "message"),
    [
        ("1st", "standard", 'Attribute VB_Name = "1st"\r\n', "identifier"),
        ("A" * 32, "standard", f'Attribute VB_Name = "{"A" * 32}"\r\n', "identifier"),
        ("Dir", "standard", 'Attribute VB_Name = "Dir"\r\n', "reserved"),
        ("M", "form", 'Attribute VB_Name = "M"\r\n', "kind"),
        ("M", "standard", 'Attribute VB_Name = "N"\r\n', "must start with"),
        ("M", "standard", "", "must start with"),
    ],
)
def test_invalid_modules_are_refused(name: str, kind: str, source: str, message: str) -> None:
    with pytest.raises(OvbaError, match=message):
        Module(name, kind, source)  # type: ignore[arg-type]


def test_xlwings_exports_convert() -> None:
    bas = module_from_bas((xlwings_dir() / "xlwings.bas").read_text("cp1252"))
    cls = module_from_cls((xlwings_dir() / "addin" / "Dictionary.cls").read_text("cp1252"))
    assert ("xlwings", "standard") == (bas.name, bas.kind)
    assert ("Dictionary", "class") == (cls.name, cls.kind)
    assert "VERSION" not in cls.stored_text().split("\r\n")[0]
