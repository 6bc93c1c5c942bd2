"""统一社会信用代码 (GB 32100-2015) check character, scalar and vectorised.

18 characters: positions 1-17 from a 31-symbol alphabet, position 18 a check character computed as
31 - (sum of value x weight mod 31), where weight_i = 3^(i-1) mod 31 and a result of 31 means 0.
"""

from __future__ import annotations

import numpy as np
import polars as pl

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
ANHUI_PREFIX = "34"


def check_char(first17: str) -> str:
    """The check character for the first 17 characters (which must be in the alphabet)."""
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_error(code: str | None) -> str | None:
    """Chinese reason why `code` is not a valid credit code, or None when it is valid."""
    if not code:
        return "统一社会信用代码不能为空"
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    bad = sorted({ch for ch in code if ch not in VALUES})
    if bad:
        return f"统一社会信用代码含非法字符：{''.join(bad)}（不得含 I、O、S、V、Z 及小写字母）"
    expected = check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：第18位应为 {expected}，实际为 {code[17]}"
    return None


def is_valid(code: str | None) -> bool:
    return credit_code_error(code) is None


def with_check_char(first17: str) -> str:
    return first17 + check_char(first17)


def check_expr(col: pl.Expr) -> pl.Expr:
    """Polars expression: True where `col` holds a valid credit code (whole column, no loop)."""
    return col.map_batches(check_series, return_dtype=pl.Boolean)


def check_series(codes: pl.Series) -> pl.Series:
    """True where the code is valid. The well-shaped codes become one (n, 18) byte matrix, so the weighted
    sum is a single matrix product in NumPy rather than 18 string look-ups per row."""
    shaped = (codes.str.len_bytes().eq(18) & codes.str.contains(f"^[{ALPHABET}]{{18}}$")).fill_null(False)
    result = np.zeros(len(codes), dtype=bool)
    good = codes.filter(shaped)
    if len(good):
        matrix = np.frombuffer(good.str.join("").item().encode("ascii"), dtype=np.uint8).reshape(-1, 18)
        values = _BYTE_VALUES[matrix]
        expected = (31 - (values[:, :17] @ _WEIGHT_VECTOR) % 31) % 31
        result[shaped.to_numpy()] = values[:, 17] == expected
    return pl.Series(codes.name, result)


_BYTE_VALUES = np.zeros(256, dtype=np.int64)
for _ch, _value in VALUES.items():
    _BYTE_VALUES[ord(_ch)] = _value
_WEIGHT_VECTOR = np.array(WEIGHTS, dtype=np.int64)
