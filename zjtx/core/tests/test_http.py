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


def test_a_list_reads_only_the_filter_values_it_offers_and_a_clean_search_text():
    from django.test import RequestFactory

    from zjtx.core.http import offered_choice, search_text

    request = RequestFactory().get("/", {"status": "bogus", "city": "340100", "q": "  合肥\x00精工" + "x" * 80})
    choices = [("340100", "合肥市"), ("340200", "芜湖市")]
    assert offered_choice(request, "city", choices) == "340100"
    assert offered_choice(request, "status", choices) == "" and offered_choice(request, "missing", choices) == ""
    assert search_text(request) == ("合肥精工" + "x" * 80)[:60]
