"""Every table header names its column: a screen reader reads an empty <th> as nothing at all."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EMPTY_HEADER = re.compile(r"<th(\s[^>]*)?>\s*</th>")


def test_no_template_has_an_empty_table_header():
    templates = sorted(ROOT.glob("*/templates/**/*.html")) + sorted((ROOT.parent / "templates").glob("**/*.html"))
    assert len(templates) > 40
    empty = [f"{path.relative_to(ROOT.parent)}:{text[:match.start()].count(chr(10)) + 1}"
             for path in templates for text in [path.read_text(encoding="utf-8")]
             for match in EMPTY_HEADER.finditer(text)]
    assert empty == []
