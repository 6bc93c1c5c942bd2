"""clean_text: the one rule for typed text every service stores (tiers, awards, services)."""

from __future__ import annotations

import pytest

from zjtx.core.errors import ApplicationError
from zjtx.core.text import clean_text


def test_text_is_trimmed_and_an_optional_blank_is_empty():
    assert clean_text("  材料不全 \n", "reason", "退回原因") == "材料不全"
    assert clean_text(None, "note", "说明", required=False) == ""


def test_a_required_blank_and_a_too_long_text_are_refused_naming_the_field():
    with pytest.raises(ApplicationError) as blank:
        clean_text("   ", "reason", "退回原因")
    assert (blank.value.message, blank.value.field) == ("请填写退回原因", "reason")
    with pytest.raises(ApplicationError) as long:
        clean_text("字" * 61, "title", "诉求标题", max_length=60)
    assert (long.value.message, long.value.field) == ("诉求标题不能超过 60 个字", "title")
    assert clean_text("字" * 60, "title", "诉求标题", max_length=60) == "字" * 60


def test_a_nul_character_is_dropped_since_postgresql_cannot_store_it():
    assert clean_text("材料\x00不全", "reason", "退回原因") == "材料不全"
    with pytest.raises(ApplicationError):
        clean_text("\x00 ", "reason", "退回原因")
