"""Streaming an untrusted package part through expat, entity-free.

A DOCTYPE is the only place entities can be declared, so the parser refuses one as soon as
expat reports it (as ``kpixl.workbook.safety`` refuses it before openpyxl reads a part);
external entities and parameter entities are never fetched. Errors become WorkbookError
naming the file and the part.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn
from xml.parsers import expat

from kpixl.errors import WorkbookError

__all__ = ["EntitiesRefused", "feed", "parser"]


class EntitiesRefused(Exception):
    """Raised from inside expat when the part declares a DOCTYPE or an entity."""


def _refuse(*_: object) -> NoReturn:
    raise EntitiesRefused


def parser() -> expat.XMLParserType:
    """An expat parser without namespace processing that refuses DOCTYPEs and entities."""
    made = expat.ParserCreate()
    made.buffer_text = True
    made.buffer_size = 1 << 16
    made.StartDoctypeDeclHandler = _refuse
    made.EntityDeclHandler = _refuse
    made.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return made


def feed(made: expat.XMLParserType, chunks: Iterable[bytes], book: str, part: str) -> None:
    """Parse ``chunks`` to the end; raise WorkbookError if the part is unsafe or damaged."""
    try:
        for chunk in chunks:
            made.Parse(chunk, False)
        made.Parse(b"", True)
    except EntitiesRefused:
        raise WorkbookError(
            f"{book}: part {part} contains XML entity declarations, which kpixl refuses for "
            "safety (a 'billion laughs' attack looks like this)."
        ) from None
    except expat.ExpatError as exc:
        raise WorkbookError(
            f"{book} is damaged: part {part} is not readable XML ({expat.ErrorString(exc.code)}"
            f" at line {exc.lineno}): open it in Excel, save it again and try again."
        ) from exc
