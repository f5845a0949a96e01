"""Reading the parts of an untrusted zip package: capped, streamed, entity-free.

Shared by the preflight checks (``safety``) and the loss detection (``lossy``).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, ElementTree

from kpixl.errors import WorkbookError

MB = 1024 * 1024
_CHUNK = 64 * 1024
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


@dataclass(frozen=True)
class Limits:
    """Refusal thresholds; lowered in tests."""

    max_file_bytes: int = 200 * MB
    max_total_uncompressed: int = 1024 * MB
    max_ratio: int = 200
    ratio_min_bytes: int = 10 * MB
    max_members: int = 10_000
    max_prolog_bytes: int = 64 * 1024


class PartReader:
    """Capped, streamed reads of package members."""

    def __init__(self, name: str, package: zipfile.ZipFile, limits: Limits) -> None:
        self.name, self.package, self.limits = name, package, limits
        self.budget = limits.max_total_uncompressed

    def chunks(self, info: zipfile.ZipInfo, cap: int | None = None) -> Iterator[bytes]:
        left = info.file_size if cap is None else min(cap, info.file_size)
        with self.package.open(info) as member:
            while left > 0:
                chunk = member.read(min(_CHUNK, left))
                if not chunk:
                    return
                left -= len(chunk)
                self.budget -= len(chunk)
                if self.budget < 0:
                    raise WorkbookError(
                        f"{self.name} expands to more than kpixl's limit when read; kpixl "
                        "refuses it for safety (a 'zip bomb' looks like this)."
                    )
                yield chunk

    def read(self, info: zipfile.ZipInfo, cap: int | None = None) -> bytes:
        return b"".join(self.chunks(info, cap))

    def parse(self, info: zipfile.ZipInfo) -> Element:
        try:
            root: Element = ElementTree.fromstring(self.read(info, 16 * MB))
            return root
        except (ParseError, DefusedXmlException) as exc:
            raise WorkbookError(
                f"{self.name} is damaged: part {info.filename} is not readable XML ({exc})."
            ) from exc

    def check_prolog(self, info: zipfile.ZipInfo) -> None:
        """Refuse a DOCTYPE (the only place entities can be declared) before the root."""
        head = b""
        for chunk in self.chunks(info, self.limits.max_prolog_bytes):
            head += chunk
            verdict = _prolog_verdict(head)
            if verdict is not None:
                break
        else:
            verdict = _prolog_verdict(head, final=True)
        if verdict:
            raise WorkbookError(
                f"{self.name}: part {info.filename} contains XML entity declarations, which "
                "kpixl refuses for safety (a 'billion laughs' attack looks like this)."
            )


def _prolog_verdict(head: bytes, final: bool = False) -> bool | None:
    """True: DOCTYPE found; False: root element reached; None: need more bytes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("latin-1")
    text, i = text.lstrip("\ufeff\xef\xbb\xbf"), 0
    while True:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        if text.startswith(("<?", "<!--"), i):
            close = "?>" if text[i + 1] == "?" else "-->"
            end = text.find(close, i + 2)
            if end < 0:
                return True if final else None
            i = end + len(close)
            continue
        if len(text) - i < 9 and not final:  # too short to tell "<!--" from "<!DOCTYPE"
            return None
        return text.startswith("<!", i)


def content_types(root: Element) -> dict[str, str]:
    types = {}
    for node in root.iter(f"{{{CT_NS}}}Override"):
        types[node.get("PartName", "").lstrip("/")] = node.get("ContentType", "")
    return types


def rels(reader: PartReader, members: dict[str, zipfile.ZipInfo], part: str) -> dict[str, str]:
    """Relationship id -> target part name for ``part`` (internal targets only)."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in members:
        return {}
    out = {}
    for rel in reader.parse(members[rels_name]).iter(f"{{{RELS_NS}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[rel.get("Id", "")] = posixpath.normpath(joined)
        if rel.get("Type") == OFFICE_DOC:
            out[OFFICE_DOC] = out[rel.get("Id", "")]
    return out


def main_part(reader: PartReader, members: dict[str, zipfile.ZipInfo]) -> str:
    return rels(reader, members, "").get(OFFICE_DOC, "xl/workbook.xml")
