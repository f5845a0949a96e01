"""What a rated copy of a workbook carried: every original part present, byte-identical
unless kpixl changed it, and a changed part losing no element or attribute."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree

DROPPED = {"spans"}
"""Attributes kpixl may drop on what it touches (``spans`` is only a hint)."""


def shape(xml: bytes, ignored: frozenset[str] = frozenset()) -> Counter[tuple[str, str]]:
    """Each element tag, and each (tag, attribute name), counted (``ignored`` local names
    left out)."""
    found: Counter[tuple[str, str]] = Counter()
    for node in etree.fromstring(xml).iter():
        if not isinstance(node.tag, str) or etree.QName(node).localname in ignored:
            continue
        found[node.tag, ""] += 1
        for name in node.attrib:
            if name not in DROPPED:
                found[node.tag, name] += 1
    return found


def losses(
    source: Path,
    rated: Path,
    dropped: frozenset[str] = frozenset(),
    ignored: frozenset[str] = frozenset(),
) -> list[str]:
    """What ``rated`` lost of ``source`` (``dropped``: parts kpixl may remove; ``ignored``:
    elements not counted, such as the defined names of sheets kpixl replaces)."""
    out = []
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(rated) as b:
        after = set(b.namelist())
        for name in a.namelist():
            if name in dropped:
                continue
            if name not in after:
                out.append(f"{name} missing")
                continue
            old, new = a.read(name), b.read(name)
            if old == new:
                continue
            if not name.endswith((".xml", ".rels", ".vml")):
                out.append(f"{name} changed")
                continue
            lost = shape(old, ignored) - shape(new, ignored)
            if lost:
                out.append(f"{name} lost {sorted(lost)[:5]}")
    return out


def replaced_parts(source: Path) -> frozenset[str]:
    """The parts of ``source``'s Summary and Dashboard sheets (kpixl replaces them whole)
    and the calculation chain (Excel rebuilds it)."""
    from kpixl.package.book import PackageBook

    book = PackageBook(source)
    out = {
        sheet.part for sheet in book._sheets if sheet.name.casefold() in ("summary", "dashboard")
    }
    out |= {posixpath_rels(part) for part in out}
    with zipfile.ZipFile(source) as package:
        out |= {n for n in package.namelist() if n.casefold().endswith("calcchain.xml")}
    return frozenset(out)


def posixpath_rels(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels"
