"""Turn domain refusals into HTTP answers for page views; send a workbook as a download; a list's filters."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase

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
