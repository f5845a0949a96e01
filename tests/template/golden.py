"""Compare two xlsx/xlsm packages member by member, with a readable diff (after XlsxWriter's
``test/helperfunctions.py``): binary parts byte for byte, XML parts in canonical form (C14N 2.0
after parsing), so ``<a/>`` and ``<a />``, attribute order and where a namespace is declared do
not count, and a diff split at tags.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from xml.etree.ElementTree import canonicalize

__all__ = ["assert_same_package", "canonical", "package_differences"]

_TEXT_SUFFIXES = (".xml", ".rels", ".vml")
_TAG_BREAK = re.compile(rb">\s*<")
_MAX_LINES = 40


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def canonical(xml: bytes) -> bytes:
    """``xml`` in Canonical XML 2.0 form (no declaration, attributes sorted, ``<a></a>``)."""
    return canonicalize(from_file=io.BytesIO(xml)).encode("utf-8")


def _lines(xml: bytes) -> list[str]:
    """One tag per line, so a diff points at the element that changed."""
    return _TAG_BREAK.sub(b">\n<", xml).decode("utf-8", "replace").splitlines()


def package_differences(expected: bytes, actual: bytes) -> list[str]:
    """What differs between two packages, in words; empty when the members are equal."""
    ours, theirs = _members(expected), _members(actual)
    problems: list[str] = []
    if list(ours) != list(theirs):
        problems.append(f"members differ:\n  expected {list(ours)}\n  actual   {list(theirs)}")
    for name in ours.keys() & theirs.keys():
        want, got = ours[name], theirs[name]
        if name.endswith(_TEXT_SUFFIXES):
            want, got = canonical(want), canonical(got)
        if want == got:
            continue
        if name.endswith(_TEXT_SUFFIXES):
            diff = list(
                difflib.unified_diff(_lines(want), _lines(got), "expected", "actual", lineterm="")
            )
            shown = "\n".join(diff[:_MAX_LINES])
            more = (
                f"\n  ... {len(diff) - _MAX_LINES} more diff lines"
                if len(diff) > _MAX_LINES
                else ""
            )
            problems.append(f"{name} differs:\n{shown}{more}")
        else:
            first = next(
                (i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
                min(len(want), len(got)),
            )
            problems.append(
                f"{name} (binary) differs: {len(want)} vs {len(got)} bytes, first at byte {first}"
            )
    return sorted(problems)


def assert_same_package(expected: bytes, actual: bytes, hint: str = "") -> None:
    """The same members, equal part by part (XML canonically), or an AssertionError listing
    each differing member (and ``hint``)."""
    problems = package_differences(expected, actual)
    if problems:
        raise AssertionError("\n\n".join([*problems, hint] if hint else problems))
