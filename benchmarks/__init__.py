"""Benchmarks: kpixl's cost against the floor set by the file format (a bare openpyxl round trip).

``python -m benchmarks.run`` (or ``benchmarks/run``) measures; ``benchmarks.generate`` makes the
contract workbooks it measures on; ``benchmarks.bench`` is what each fresh subprocess runs.
"""


class Unavailable(Exception):
    """A measurement that cannot run on this machine by design (xlwings' remote engine, say)."""
