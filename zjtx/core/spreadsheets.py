"""Writing spreadsheets (xlsx and CSV) so that text people typed stays text and never runs as a formula.

Excel runs a cell that begins with ``=`` as a formula, and one read from a CSV that begins with ``+``, ``-``,
``@``, a tab or a carriage return too: an enterprise named ``=HYPERLINK("http://…","点此核对")`` would become a
live link in an official's workbook (CSV/Excel formula injection, OWASP "CSV Injection"). Every export of the
site writes its cells through this module.

- xlsx (``text_cell``, ``text_row``): openpyxl stores a ``str`` beginning with ``=`` as a formula (and ``#N/A``
  as an error); here every ``str`` is stored as text, unchanged, so the workbook shows exactly what was typed.
  One that begins like a formula also gets Excel's quote prefix, so it stays text when someone edits the cell.
- CSV (``csv_safe``, ``write_csv``): a CSV has no types, so we follow OWASP: a text field beginning with one of
  ``= + - @``, tab or carriage return gets a leading apostrophe (``'=1+1``), and every text field is quoted.
  Excel shows the apostrophe; a program reading the file back drops one leading ``'`` from such a field.

Numbers, amounts and dates are never touched: a negative amount stays the number -5 with its format.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, overload

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START_RE = r"^[=+\-@\t\r]"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def text_cell(cell: Cell) -> Cell:
    """The cell, with a ``str`` value stored as text (not a formula or error); other values untouched."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True
    return cell


def text_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ``sheet.append`` (normal or write-only sheet) with each ``str`` kept as text.

    Only a text openpyxl or Excel would take for something else gets a cell of its own; every other value
    (plain text, numbers, ready-made cells) is passed on as is, which keeps a 200,000-row export fast."""
    return [text_cell(WriteOnlyCell(sheet, value=v)) if isinstance(v, str) and _not_plain(v) else v for v in values]


def _not_plain(text: str) -> bool:
    """openpyxl would store it as a formula ("=…") or an error ("#N/A"), or Excel would run it once edited."""
    return looks_like_formula(text) or text in ERROR_CODES


def csv_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with an apostrophe before each text value that begins like a formula; numeric columns as they are."""
    texts = [name for name, dtype in frame.schema.items()
             if dtype == pl.String or isinstance(dtype, pl.Enum | pl.Categorical)]
    return frame.with_columns(
        pl.when(pl.col(name).cast(pl.String).str.contains(_FORMULA_START_RE))
        .then(pl.lit("'") + pl.col(name).cast(pl.String))
        .otherwise(pl.col(name).cast(pl.String))
        .alias(name)
        for name in texts
    )


def write_csv(frame: pl.DataFrame, path: Path) -> None:
    """A CSV for people: UTF-8 with a BOM (so Excel on Windows reads the Chinese), text quoted and kept from
    running as a formula (``csv_safe``), numbers bare."""
    csv_safe(frame).write_csv(path, include_bom=True, quote_style="non_numeric")


THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ROW = 3  # the lines start below it


@overload
def official_sheet(name: str, title: str, note: str, columns: Sequence[tuple[str, int]], *,
                   write_only: Literal[False] = False) -> tuple[Workbook, Worksheet]: ...


@overload
def official_sheet(name: str, title: str, note: str, columns: Sequence[tuple[str, int]], *,
                   write_only: Literal[True]) -> tuple[Workbook, WriteOnlyWorksheet]: ...


def official_sheet(name: str, title: str, note: str, columns: Sequence[tuple[str, int]], *,
                   write_only: bool = False) -> tuple[Workbook, Worksheet | WriteOnlyWorksheet]:
    """A workbook laid out as the lists officials file: the title centred over every column (row 1), a note
    on the right (row 2: the export date or the unit), the boxed header (row 3) with each column's width,
    frozen above the lines and repeated on every printed page, landscape, one page wide.

    ``write_only``: openpyxl's write-only sheet, for lists of tens of thousands of lines: the lines are
    appended after the header, each written to the file as it comes instead of all held in memory."""
    if write_only:
        return _official_write_only(name, title, note, columns)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = name
    last = get_column_letter(len(columns))
    for row, text, font, side in ((1, title, Font(size=16, bold=True), "center"), (2, note, None, "right")):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = text_cell(sheet.cell(row=row, column=1, value=text))
        cell.alignment = Alignment(horizontal=side)
        if font:
            cell.font = font
    for col, (label, _) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=label)
        cell.font, cell.border = Font(bold=True), BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _layout(sheet, columns)
    return book, sheet


def _layout(sheet: Worksheet | WriteOnlyWorksheet, columns: Sequence[tuple[str, int]]) -> None:
    """Each column's width, the lines frozen below the header, which repeats on every landscape page."""
    for col, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1


def _official_write_only(name: str, title: str, note: str,
                         columns: Sequence[tuple[str, int]]) -> tuple[Workbook, WriteOnlyWorksheet]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(name)
    _layout(sheet, columns)  # a write-only sheet writes its widths and frozen panes with its first row
    last = get_column_letter(len(columns))
    for row, text, font, side in ((1, title, Font(size=16, bold=True), "center"), (2, note, Font(), "right")):
        cell = text_cell(WriteOnlyCell(sheet, value=text))
        cell.font, cell.alignment = font, Alignment(horizontal=side)
        sheet.append([cell])
        sheet.merged_cells.add(f"A{row}:{last}{row}")
    header = []
    for label, _ in columns:
        cell = text_cell(WriteOnlyCell(sheet, value=label))
        cell.font, cell.border = Font(bold=True), BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    return book, sheet
