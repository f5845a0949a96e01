"""The header block above an indicator sheet's table: ``Service Area``, ``Department`` and the
people (``Director``, ``Head of Service``, ``Cabinet Member``…) as label/value pairs."""

from __future__ import annotations

from kpixl.core.models import Person, ServiceArea
from kpixl.workbook import contract
from kpixl.workbook.cells import text
from kpixl.workbook.grid import SheetGrid, cell_address

__all__ = ["read_area"]

_PEOPLE = ("director", "headofservice", "cabinetmember")


def read_area(grid: SheetGrid, header_row: int) -> tuple[ServiceArea, str]:
    """The sheet's service area (named after the sheet when no ``Service Area`` is given) and
    the cell its name is typed in ("" when none)."""
    name, department, people, name_cell = grid.name, None, [], ""
    for at_row, row in enumerate(grid.rows[:header_row]):
        cells = iter([(col, text(value)) for col, value in enumerate(row)])
        for _, label in cells:
            key = contract.normalise(label)
            if not key or not any(known in key for known in contract.AREA_BY_KEY):
                continue
            at, value = next(((c, typed) for c, typed in cells if typed is not None), (0, None))
            if value is None:
                continue
            if "servicearea" in key:
                name, name_cell = value, cell_address(at_row, at)
            elif "department" in key and not any(p in key for p in _PEOPLE):
                department = value
            else:
                people.append(Person(role=(label or "").rstrip(": "), name=value))
    return ServiceArea(name=name, department=department, people=tuple(people)), name_cell
