"""Which cells of an .xlsx's first sheet are formatted as percentages.

calamine returns a cell's value without its number format, so a cell that shows 12.50% arrives as 0.125.
The format lives in the package's XML: styles.xml lists the cell styles (cellXfs) with their number
formats, and each cell of the sheet names its style (s="…"). Only workbooks that define a percent style
are scanned, and the scan looks only for cells of those styles, so an ordinary import pays nothing.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

# Excel's built-in percent formats: 9 = 0%, 10 = 0.00%.
BUILTIN_PERCENT = {"9", "10"}
_NUM_FMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_CELL_XFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b([^>]*)")
_XF_FORMAT = re.compile(rb'numFmtId="(\d+)"')
_FIRST_SHEET = re.compile(rb'<sheet\b[^>]*?r:id="([^"]+)"')
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')


def percent_cells(path: Path) -> set[tuple[int, int]]:
    """(row index, column index), both from 0, of the first sheet's percent-formatted cells; empty when
    the file is not an xlsx package (e.g. .xls) or defines no percent style."""
    try:
        with zipfile.ZipFile(path) as package:
            styles = _percent_styles(package.read("xl/styles.xml"))
            if not styles:
                return set()
            return _cells_with_styles(package.read(_first_sheet(package)), styles)
    except (zipfile.BadZipFile, KeyError, OSError):
        return set()


def _percent_styles(styles_xml: bytes) -> set[str]:
    """Indexes (as text) of the cell styles whose number format shows a percentage."""
    custom = {fid.decode() for fid, code in _NUM_FMT.findall(styles_xml) if b"%" in _unquoted(code)}
    percent_formats = BUILTIN_PERCENT | custom
    block = _CELL_XFS.search(styles_xml)
    if not block:
        return set()
    styles = set()
    for index, attrs in enumerate(_XF.findall(block.group(1))):
        fmt = _XF_FORMAT.search(attrs)
        if fmt and fmt.group(1).decode() in percent_formats:
            styles.add(str(index))
    return styles


def _unquoted(code: bytes) -> bytes:
    """A format code without its literal text ("%" in quotes or after a backslash is not a percent)."""
    return re.sub(rb'&quot;.*?&quot;|\\.', b"", code)


def _first_sheet(package: zipfile.ZipFile) -> str:
    workbook = package.read("xl/workbook.xml")
    rel_id = _FIRST_SHEET.search(workbook)
    if not rel_id:
        raise KeyError("no sheet")
    rels = package.read("xl/_rels/workbook.xml.rels")
    for rel in re.findall(rb"<Relationship\b[^>]*>", rels):
        if f'Id="{rel_id.group(1).decode()}"'.encode() in rel:
            target = re.search(rb'Target="([^"]+)"', rel)
            if target:
                name = target.group(1).decode()
                return name.lstrip("/") if name.startswith("/") else posixpath.normpath(f"xl/{name}")
    raise KeyError("sheet target")


def _cells_with_styles(sheet_xml: bytes, styles: set[str]) -> set[tuple[int, int]]:
    alternatives = b"|".join(re.escape(s.encode()) for s in sorted(styles))
    tag = re.compile(rb'<c\b[^>]*?\bs="(?:' + alternatives + rb')"[^>]*>')
    cells = set()
    for match in tag.finditer(sheet_xml):
        ref = _CELL_REF.search(match.group(0))
        if ref:
            cells.add((int(ref.group(2)) - 1, _column_index(ref.group(1).decode())))
    return cells


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1
