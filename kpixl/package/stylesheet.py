"""``styles.xml`` edited as text: entries appended, counts updated, nothing re-serialised.

An ElementTree round trip renames namespace prefixes and so breaks ``mc:Ignorable="x14ac
x16r2"``; here the part's bytes are kept and only new entries are inserted before each
section's end tag (a missing section is inserted in CT_Stylesheet order, ECMA-376 Part 1
18.8.39), with its ``count`` set to the number of entries. Every request is first looked
up among the entries already there *by parsed value* (namespaces expanded, attributes and
child elements in any order, whitespace ignored), so a re-run asks for the same things and
finds them: the file never grows.

Entries are given as XML text in the SpreadsheetML namespace without a prefix
(``<font><b/><sz val="11"/></font>``); they get the part's prefix if it uses one.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element
from xml.sax.saxutils import quoteattr

from defusedxml import ElementTree
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE

from kpixl.workbook.parts import MAIN_NS

__all__ = ["Stylesheet"]

ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
         "dxfs", "tableStyles", "colors", "extLst")  # fmt: skip
"""CT_Stylesheet's children, in schema order."""
_ENTRY = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border",
          "cellStyleXfs": "xf", "cellXfs": "xf", "dxfs": "dxf"}  # fmt: skip
Canonical = tuple[str, tuple[tuple[str, str], ...], tuple[object, ...], str]


def canonical(element: Element) -> Canonical:
    """An element's value: name, attributes, children (as a sorted multiset), stripped text."""
    children = tuple(sorted((canonical(child) for child in element), key=repr))
    attributes = tuple(sorted(element.attrib.items()))
    return element.tag, attributes, children, (element.text or "").strip()


class Stylesheet:
    """One ``styles.xml`` being extended. ``to_bytes`` gives the edited part."""

    def __init__(self, xml: bytes) -> None:
        self._text = xml.decode("utf-8")
        root = ElementTree.fromstring(xml)
        root_tag = re.search(r"<([\w.-]+:)?styleSheet\b", self._text)
        self._prefix = (root_tag.group(1) or "") if root_tag else ""
        self._entries: dict[str, list[Canonical]] = {}
        self._added: dict[str, list[str]] = {}
        for section in _ENTRY:
            found = root.find(f"{{{MAIN_NS}}}{section}")
            children = list(found) if found is not None else []
            self._entries[section] = [canonical(child) for child in children]
        self._custom_formats = {
            node.get("formatCode", ""): int(node.get("numFmtId", "0"))
            for node in root.iter(f"{{{MAIN_NS}}}numFmt")
            if node.get("numFmtId", "").isdigit()
        }

    # --- requests -----------------------------------------------------------------------

    def number_format(self, code: str) -> int:
        """The id of format ``code``: built-in (as openpyxl numbers them), existing, or new."""
        if code in BUILTIN_FORMATS_REVERSE:
            return int(BUILTIN_FORMATS_REVERSE[code])
        if code in self._custom_formats:
            return self._custom_formats[code]
        number = max([int(BUILTIN_FORMATS_MAX_SIZE) - 1, *self._custom_formats.values()]) + 1
        self._custom_formats[code] = number
        self.entry("numFmts", f"<numFmt numFmtId={quoteattr(str(number))} "
                              f"formatCode={quoteattr(code)}/>")  # fmt: skip
        return number

    def font(self, xml: str) -> int:
        return self.entry("fonts", xml)

    def fill(self, xml: str) -> int:
        return self.entry("fills", xml)

    def border(self, xml: str) -> int:
        return self.entry("borders", xml)

    def dxf(self, xml: str) -> int:
        return self.entry("dxfs", xml)

    def cell_format(
        self,
        *,
        font: int = 0,
        fill: int = 0,
        border: int = 0,
        number_format: int = 0,
        alignment: str = "",
        style: int = 0,
    ) -> int:
        """The ``cellXfs`` index of a cell format built from the given parts (indices), with
        the ``apply*`` flags Excel expects for each part that is not the default."""
        flags = "".join(
            f' {name}="1"'
            for name, given in (
                ("applyNumberFormat", number_format),
                ("applyFont", font),
                ("applyFill", fill),
                ("applyBorder", border),
                ("applyAlignment", alignment),
            )  # fmt: skip
            if given
        )
        head = (
            f'<xf numFmtId="{number_format}" fontId="{font}" fillId="{fill}" '
            f'borderId="{border}" xfId="{style}"{flags}'
        )
        return self.entry("cellXfs", f"{head}>{alignment}</xf>" if alignment else f"{head}/>")

    def entry(self, section: str, xml: str) -> int:
        """The index of ``xml`` in ``section``: an equal entry's if there is one, else new."""
        value = canonical(ElementTree.fromstring(f'<wrap xmlns="{MAIN_NS}">{xml}</wrap>')[0])
        entries = self._entries[section]
        for index, known in enumerate(entries):
            if known == value:
                return index
        entries.append(value)
        self._added.setdefault(section, []).append(self._prefixed(xml))
        return len(entries) - 1

    # --- the edited text ----------------------------------------------------------------

    def to_bytes(self) -> bytes:
        text = self._text
        for section, added in self._added.items():
            text = self._append(text, section, "".join(added))
        return text.encode("utf-8")

    def _append(self, text: str, section: str, added: str) -> str:
        p = re.escape(self._prefix)
        count = len(self._entries[section])
        found = re.search(rf"<{p}{section}\b([^>]*?)(/?)>", text)
        if found is None:
            element = f'<{self._prefix}{section} count="{count}">{added}</{self._prefix}{section}>'
            return _insert_in_order(text, self._prefix, section, element)
        start_tag = _with_count(found.group(0), count)
        if found.group(2):  # <fonts count="0"/>
            start_tag = start_tag[:-2].rstrip() + ">"
            closed = f"{start_tag}{added}</{self._prefix}{section}>"
            return text[: found.start()] + closed + text[found.end() :]
        end = text.index(f"</{self._prefix}{section}>", found.end())
        return text[: found.start()] + start_tag + text[found.end() : end] + added + text[end:]

    def _prefixed(self, xml: str) -> str:
        if not self._prefix:
            return xml
        return re.sub(r"<(/?)([A-Za-z_][\w.-]*)(?=[\s/>])", rf"<\1{self._prefix}\2", xml)


def _with_count(start_tag: str, count: int) -> str:
    if re.search(r"(?<![\w:.-])count\s*=", start_tag):
        return re.sub(r"""(?<![\w:.-])count\s*=\s*(["']).*?\1""", f'count="{count}"', start_tag)
    name = re.match(r"<[\w.:-]+", start_tag)
    assert name is not None
    return f'{start_tag[: name.end()]} count="{count}"{start_tag[name.end() :]}'


def _insert_in_order(text: str, prefix: str, section: str, element: str) -> str:
    """Put a new section before the first present section that follows it in ORDER."""
    p = re.escape(prefix)
    for later in ORDER[ORDER.index(section) + 1 :]:
        found = re.search(rf"<{p}{later}\b", text)
        if found is not None:
            return text[: found.start()] + element + text[found.start() :]
    end = text.rindex(f"</{prefix}styleSheet>")
    return text[:end] + element + text[end:]
