"""Shared pieces of the JSON schemas: text without NUL, positive ids, YYYY-MM-DD dates, the error shape
and its documented statuses, and pydantic errors in Chinese.

pydantic's own messages are English ("Input should be a valid integer"); every refusal the user sees
must be Chinese and name the field, so the API and the terminal describe each error with
``error_message``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

# Database ids are signed 64-bit integers; a larger value in a query would overflow (a 500).
MAX_ID = 2**63 - 1


def _no_nul(text: str) -> str:
    # PostgreSQL text cannot hold NUL: storing or even querying one fails with a server error.
    if "\x00" in text:
        raise PydanticCustomError("nul_char", "不能包含空字符（\\u0000）")
    return text


Text = Annotated[str, AfterValidator(_no_nul)]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    # pydantic would also take a number (or numeric text, as every query value is) of whole days as a Unix
    # timestamp: as_of=0 would silently be 1970-01-01, as_of=1767225600 2026-01-01. The contract says YYYY-MM-DD.
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_format", "应为有效日期（YYYY-MM-DD）")
    if isinstance(value, (int, float, bool)):
        raise PydanticCustomError("date_type", "应为有效日期（YYYY-MM-DD）")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class ErrorOut(Schema):
    """The one shape of every API refusal (config/api.py renders it)."""

    code: str = Field(description="invalid / unauthenticated / forbidden / csrf / not_found / method_not_allowed / "
                                  "illegal_transition / too_large，或业务规则的代码（如 over_budget、already_paid）")
    message: str = Field(description="中文说明，写明表、行和列或字段")
    field: str | None = Field(description="出错的字段，如 indicators[0].revenue；与具体字段无关时为 null")


def with_errors(ok: Any, *statuses: int) -> dict[int, Any]:
    """An operation's documented responses: `ok` for 200 and ErrorOut for each status it may refuse with
    (every operation needs a session, so 401 is always one of them)."""
    return {200: ok, **dict.fromkeys(sorted({401, *statuses}), ErrorOut)}


# What went wrong, by pydantic error type (the first matching prefix wins).
REASONS: tuple[tuple[str, str], ...] = (
    ("missing", "必须填写"),
    ("extra_forbidden", "不是可用的字段"),
    ("int_from_float", "应为整数"),
    ("int", "应为整数"),
    ("float", "应为数字"),
    ("decimal", "应为数字"),
    ("finite_number", "应为有限的数字"),
    ("bool", "应为 true 或 false"),
    ("date", "应为有效日期（YYYY-MM-DD）"),
    ("datetime", "应为有效日期时间"),
    ("string", "应为文本"),
    ("list", "应为数组"),
    ("dict", "应为对象"),
    ("model", "应为对象"),
    ("json_invalid", "不是有效的 JSON"),
)
# Our own errors (PydanticCustomError) carry their Chinese message.
CUSTOM = frozenset({"nul_char", "choice", "null_text", "value_error"})
TOO_BIG = ("less_than", "less_than_equal", "greater_than", "greater_than_equal")


def reason(error: Mapping[str, Any]) -> str:
    """The Chinese reason of one pydantic error, with the value received when it is short."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in CUSTOM:
        text = str(error.get("msg", "")).removeprefix("Value error, ")
    elif kind == "literal_error":
        text = f"取值应为 {ctx.get('expected', '')} 之一"
    elif kind in TOO_BIG:
        words = {"less_than": "应小于", "less_than_equal": "应不大于", "greater_than": "应大于",
                 "greater_than_equal": "应不小于"}
        bound = next(iter(ctx.values()), "")
        text = f"{words[kind]} {bound}（超出范围）"
    elif kind == "too_long":
        text = f"最多 {ctx.get('max_length')} 项"
    elif kind == "string_too_long":
        text = f"最多 {ctx.get('max_length')} 个字符"
    elif "input" in error and error["input"] is None and kind.endswith("_type"):
        return "不能为 null"
    else:
        text = next((words for prefix, words in REASONS if kind.startswith(prefix)), "取值无效")
    return text + _received(error)


def _received(error: Mapping[str, Any]) -> str:
    value = error.get("input")
    if "input" not in error or value is None or isinstance(value, (dict, list)):
        return ""
    shown = repr(value) if isinstance(value, str) else str(value)
    return f"，收到 {shown[:40]}" if len(shown) <= 40 else f"，收到 {shown[:40]}…"


def location(loc: Sequence[Any]) -> str:
    """``("body", "payload", "enterprises", 0, "founded_on")`` → ``enterprises[0].founded_on``."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] == "payload":  # ninja's name of the whole request body
        parts = parts[1:]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def error_message(error: Mapping[str, Any], label: Callable[[Sequence[Any]], str] | None = None) -> tuple[str, str]:
    """(field, Chinese message) of one pydantic error; ``label`` names the field for people."""
    loc = [p for p in error.get("loc", ()) if p not in ("body", "query", "path", "payload")]
    field = location(error.get("loc", ()))
    named = label(loc) if label else ""
    return field, f"{named or field or '请求'}：{reason(error)}"


MAX_PROBLEMS = 20  # listed in one message; enough to fix a request's or a file's pattern of mistakes


def errors_message(errors: Sequence[Mapping[str, Any]],
                   label: Callable[[Sequence[Any]], str] | None = None) -> tuple[str | None, str]:
    """(field of the first error, the distinct Chinese messages of the first ``MAX_PROBLEMS``) of pydantic errors."""
    described = [error_message(e, label) for e in errors]
    messages = list(dict.fromkeys(message for _, message in described))
    return (described[0][0] if described else None), "；".join(messages[:MAX_PROBLEMS])
