"""The workbook download: the Chinese file name survives every browser (RFC 5987), the header stays ASCII."""

from __future__ import annotations

from urllib.parse import unquote

from zjtx.core.http import XLSX, xlsx_response


def test_a_workbook_downloads_under_its_chinese_name():
    response = xlsx_response(b"PK", "认定名单-20261130.xlsx")
    disposition = response["Content-Disposition"]
    assert response["Content-Type"] == XLSX and response.content == b"PK"
    assert disposition.startswith("attachment; filename*=UTF-8''") and disposition.isascii()
    assert unquote(disposition.split("''", 1)[1]) == "认定名单-20261130.xlsx"
