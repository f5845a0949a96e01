"""Builder of ``workbook_template.xlsm`` from the text sources in this package."""
