"""The workbook package handled directly, without openpyxl's model (issue 12).

* ``zipcopy``: a zip writer that copies unchanged members raw and deflates only new parts.
* ``read``: every worksheet's values as ``SheetGrid``s (``sheetxml`` streams a sheet with
  expat, ``values`` types each cell by openpyxl's rules, ``xmlstream`` refuses entities).
* ``splice``: computed cells spliced into a worksheet's XML, the rest kept byte for byte.
* ``columns``: column widths set in a worksheet's XML, ``<cols>`` ranges split.
* ``stylesheet``: ``styles.xml`` extended as text, de-duplicated by parsed value.
* ``book``: the port's package adapter (``PackageBook``), what ``kpixl calculate`` writes with:
  ``computed`` (a plan's columns into a sheet), ``drawn`` (a generated sheet from its look),
  ``looks`` (the neutral look as styles.xml entries), ``workbookxml`` (workbook.xml, rels,
  content types, app.xml).
"""
