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
