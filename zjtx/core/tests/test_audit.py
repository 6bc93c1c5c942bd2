"""How audit values read in histories."""

from zjtx.core.audit import shown_value


def test_empty_values_read_as_nothing_and_lists_as_text():
    assert shown_value([]) is None and shown_value("") is None and shown_value(None) is None
    assert shown_value(["审计报告.pdf", "证书.pdf"]) == "审计报告.pdf、证书.pdf"
    assert shown_value(False) == "否"
