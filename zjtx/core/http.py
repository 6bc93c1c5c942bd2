"""Turn domain refusals into HTTP answers for page views; send a workbook as a download; read a list's filters
and a page's 测算日期 from the query string."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase

from zjtx.core import clock
from zjtx.core.errors import NotFoundError, PermissionDeniedError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(*args, **kwargs)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFoundError as exc:
            raise Http404(exc.message) from exc

    return wrapper


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """The workbook as a download; the Chinese file name percent-encoded (RFC 5987) so every browser keeps it."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def query_without_page(request: HttpRequest) -> str:
    """A list's filters as a query string without its page, for the pager's links (core/_pager.html, which adds
    its own page) and the list's export link."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def search_text(request: HttpRequest) -> str:
    """A list's search box (``?q=``), at most 60 characters; NUL removed (it cannot reach a PostgreSQL query)."""
    return request.GET.get("q", "").replace("\x00", "").strip()[:60]


def offered_choice(request: HttpRequest, name: str, choices: Iterable[tuple[str, str]]) -> str:
    """The list filter ``?name=`` when the page offers its value, else "" (an edited link's other value is not
    applied)."""
    value = request.GET.get(name, "")
    return value if value in dict(choices) else ""


def as_of_date(request: HttpRequest) -> dt.date:
    """The 测算日期 a page is asked for (``?as_of=``); today when none is given, or (with a message naming the
    value) when it is not a date."""
    text = request.GET.get("as_of", "")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        if text:
            messages.warning(request, f"测算日期“{text[:20]}”不是有效日期，已按今天测算。")
        return clock.today()
