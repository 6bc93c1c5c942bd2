"""Text people typed is written to xlsx and CSV as text, never as a formula; numbers stay numbers."""

from __future__ import annotations

import io
from decimal import Decimal

import polars as pl
import pytest
from openpyxl import Workbook, load_workbook

from zjtx.core import spreadsheets
from zjtx.core.spreadsheets import csv_safe, text_cell, text_row, write_csv

TYPED = ['=HYPERLINK("http://example.com","点此核对")', "=1+1", "@SUM(1)", "+cmd", "-2+3", "\t=1", "#N/A"]


def _reopened(workbook: Workbook):
    out = io.BytesIO()
    workbook.save(out)
    return load_workbook(io.BytesIO(out.getvalue())).active


@pytest.mark.parametrize("write_only", [False, True])
def test_a_row_keeps_formula_like_text_as_text_and_numbers_as_numbers(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("s", 0)
    sheet.append(text_row(sheet, [*TYPED, "某公司", Decimal("-50.5"), -3, None]))
    cells = list(_reopened(workbook)[1])
    assert [(c.value, c.data_type) for c in cells[:len(TYPED) + 1]] == [(t, "s") for t in [*TYPED, "某公司"]]
    assert [c.quotePrefix for c in cells[:len(TYPED) + 1]] == [True] * 6 + [False, False]  # Excel keeps it text
    assert [(c.value, c.data_type) for c in cells[len(TYPED) + 1:len(TYPED) + 3]] == [(-50.5, "n"), (-3, "n")]


def test_a_cell_written_in_place_keeps_its_text_and_its_number_format():
    workbook = Workbook()
    sheet = workbook.active
    text_cell(sheet.cell(row=1, column=1, value="=1+1"))
    amount = text_cell(sheet.cell(row=1, column=2, value=Decimal("-12.5")))
    amount.number_format = "#,##0.00"
    reopened = _reopened(workbook)
    assert (reopened["A1"].value, reopened["A1"].data_type) == ("=1+1", "s")
    assert (reopened["B1"].value, reopened["B1"].data_type, reopened["B1"].number_format) == (-12.5, "n", "#,##0.00")


def test_csv_text_that_begins_like_a_formula_gets_an_apostrophe_and_numbers_stay_bare(tmp_path):
    frame = pl.DataFrame({"name": [*TYPED, "某公司", None], "amount": [-50.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]})
    frame = frame.with_columns(pl.col("amount").cast(pl.Decimal(38, 2)),
                               pl.col("name").cast(pl.Categorical).alias("kind"))
    safe = csv_safe(frame)
    assert safe["name"].to_list() == [*(f"'{t}" for t in TYPED[:6]), "#N/A", "某公司", None]
    assert safe["kind"].to_list() == safe["name"].to_list()
    write_csv(frame, tmp_path / "out.csv")
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel on Windows reads it as UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    link = '"\'=HYPERLINK(""http://example.com"",""点此核对"")"'
    assert lines[1] == f"{link},-50.50,{link}"
    assert lines[3] == "\"'@SUM(1)\",2.00,\"'@SUM(1)\""
    assert pl.read_csv(tmp_path / "out.csv")["amount"].to_list()[0] == -50.5  # a negative amount is a number


@pytest.mark.parametrize("write_only", [False, True])
def test_an_official_sheet_has_its_title_note_and_header_laid_out_for_filing(write_only):
    book, sheet = spreadsheets.official_sheet("名单", "=某市名单", "单位：万元", [("序号", 6), ("企业名称", 30)],
                                              write_only=write_only)
    if write_only:  # a write-only sheet is read back from its file
        out = io.BytesIO()
        book.save(out)
        book = load_workbook(out)
        sheet = book["名单"]
    assert book.active is sheet and sheet.title == "名单"
    assert sorted(str(r) for r in sheet.merged_cells.ranges) == ["A1:B1", "A2:B2"]
    assert sheet["A1"].value == "=某市名单" and sheet["A1"].data_type == "s"  # a title is text, never a formula
    assert sheet["A1"].font.bold and sheet["A1"].alignment.horizontal == "center"
    assert sheet["A2"].value == "单位：万元" and sheet["A2"].alignment.horizontal == "right"
    assert [c.value for c in sheet[3]] == ["序号", "企业名称"] and sheet["B3"].border.left.style == "thin"
    assert sheet.column_dimensions["B"].width == 30
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
