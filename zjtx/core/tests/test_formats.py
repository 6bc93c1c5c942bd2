"""Formats of the Simplified Chinese site (config/formats/zh_Hans)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation

from zjtx.core.templatetags.money import wan


def test_dates_render_as_iso_for_date_inputs_and_read_both_ways():
    with translation.override("zh-hans"):
        # <input type="date"> shows only an ISO value; 2016/03/01 left the field empty.
        assert forms.DateInput(attrs={"type": "date"}).format_value(dt.date(2016, 3, 1)) == "2016-03-01"
        field = forms.DateField()
        assert field.clean("2016-03-01") == field.clean("2016/03/01") == dt.date(2016, 3, 1)


def test_counts_and_amounts_group_by_thousands_alike():
    with translation.override("zh-hans"):
        assert intcomma(2_000_000) == "2,000,000"
        assert wan(Decimal("11209.660000")) == "11,209.66"


def test_money_reads_alike_in_a_column_with_every_place_it_has():
    amounts = [Decimal("80.000000"), Decimal("12.93"), Decimal("6.723000"), Decimal("32996.072"), Decimal("1E+3")]
    assert [wan(a) for a in amounts] == ["80.00", "12.93", "6.723", "32,996.072", "1,000.00"]
    assert wan(Decimal("1234567.000001")) == "1,234,567.000001"  # never rounded away
    assert wan(Decimal("0E-6")) == wan(Decimal("-0")) == "0.00" and wan(Decimal("-100")) == "-100.00"
    assert wan(None) == wan("") == "—" and wan("12.5") == "12.50"
