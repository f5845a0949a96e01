"""The workbook package handled directly, without openpyxl (issue 12).

``zipfile_raw`` writes a zip that copies unchanged members byte for byte and deflates only
the parts kpixl changes; ``read`` yields the worksheets' values as ``SheetGrid``s by streaming
the sheet XML with expat. Neither loads the workbook into an object model.
"""
