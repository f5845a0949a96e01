Attribute VB_Name = "KpixlRibbon"
' Callbacks of the "KPI Dashboard" ribbon tab (kpixl/template/ribbon/customUI.xml).
' Each button runs one kpixl entry point in Python through xlwings' RunPython, which the
' standalone "xlwings" module in this workbook provides; no add-in is needed. Python and
' the kpixl package are found through the settings on the xlwings.conf sheet.
Option Explicit

' Rates every indicator sheet and rebuilds the Summary and Dashboard sheets.
Sub CalculateRag(control As IRibbonControl)
    RunPython "import kpixl.xl; kpixl.xl.calculate_rag()"
End Sub

' Lists the data problems of every indicator sheet without changing anything.
Sub CheckData(control As IRibbonControl)
    RunPython "import kpixl.xl; kpixl.xl.check_data()"
End Sub

' Saves the Dashboard sheet as a PDF beside this workbook.
Sub ExportPdf(control As IRibbonControl)
    RunPython "import kpixl.xl; kpixl.xl.export_pdf()"
End Sub
