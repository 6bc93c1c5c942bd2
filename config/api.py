"""The JSON API root (wiring only). Each app adds its router; errors share one shape: {code, message, field}."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError, ValidationErrorContext
from ninja.security import SessionAuth

from zjtx.core.errors import ApplicationError
from zjtx.core.schemas import errors_message

DESCRIPTION = """
所有错误都返回 JSON `{code, message, field}`：`message` 为中文并写明字段，`field` 为出错的字段
（如 `as_of`、`limit`、`indicators[0].revenue`；与具体字段无关时为 null）。状态码：400 输入有误
（类型、范围、缺少字段、请求体不是 JSON；日期一律为 `YYYY-MM-DD`）；401 未登录；403 无权限或 CSRF 校验失败
（POST/PATCH 须在 `X-CSRFToken` 请求头带上页面的 CSRF 令牌）；404 不存在或不在权限范围内；405 该地址不支持
此请求方法（`Allow` 头列出可用的方法）；409 当前状态下不能进行该操作（如重复审批、未审批即拨付）；413 请求体过大。
每个接口可能返回的状态码都列在下方各接口的 Responses 中。

金额（万元）以**字符串**形式的十进制数返回（如 `"500"`、`"12.50"`），以免浮点误差；输入的金额可为
数字或这样的字符串。
"""

# Names people read, for fields that are not self-explaining (query values and body fields of several routers).
FIELD_LABELS = {
    "as_of": "测算日期", "limit": "每页条数", "after": "游标 after", "before": "游标 before", "batch": "批次",
    "city": "所在市", "q": "关键词", "tier": "梯度层级", "size": "企业规模", "status": "状态",
    "name": "企业名称", "county_code": "所在县（区）", "founded_on": "成立日期", "industry_code": "国民经济行业代码",
    "emerging_industry": "十大新兴产业", "registered_capital": "注册资本（万元）", "contact_name": "联系人",
    "contact_phone": "联系电话", "enterprises": "企业表", "indicators": "年度指标表", "events": "事件表",
    "prior": "已享受奖补表", "unmet": "unmet",
}
HTTP_MESSAGES = {
    400: "请求体不是有效的 JSON",
    401: "请先登录（本接口使用登录后的会话）",
    403: "没有权限",
    404: "找不到该资源",
    405: "不支持该请求方法",
    429: "请求过于频繁，请稍后再试",
}
CSRF_MESSAGE = "CSRF 校验失败：POST、PATCH 请求须在 X-CSRFToken 请求头中带上页面的 CSRF 令牌"


def _label(loc: Sequence[Any]) -> str:
    from zjtx.policy.schemas import table_label

    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return ""
    table = table_label(loc)
    if table:
        return table
    last = names[-1]
    return f"{last}（{FIELD_LABELS[last]}）" if last in FIELD_LABELS and FIELD_LABELS[last] != last else last


class Api(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for url in urls:
            if isinstance(url, URLPattern) and url.name == "api-root":
                # ninja's root view raises Http404 past the API's handlers (the site's HTML page).
                url.callback = unknown_address
            elif isinstance(url, URLPattern):
                url.callback = _json_method_not_allowed(url.callback)
        return urls

    def validation_error_from_error_contexts(self, error_contexts: list[ValidationErrorContext]) -> ValidationError:
        # django-ninja drops the value received; keep it when it is a short scalar, for the message.
        errors = super().validation_error_from_error_contexts(error_contexts)
        received = [e for c in error_contexts for e in c.pydantic_validation_error.errors(include_url=False)]
        for error, original in zip(errors.errors, received, strict=True):
            value = original.get("input")
            if value is None or isinstance(value, (str, int, float, bool)):
                error["input"] = value
        return errors


# The reference (/api/v1/docs, /api/v1/openapi.json) is for logged-in users, like every page.
api = Api(title="zjtx 专精特新培育平台 API", version="1", auth=SessionAuth(), urls_namespace="api",
          docs_decorator=login_required, description=DESCRIPTION)


def _error(request: HttpRequest, status: int, code: str, message: str, field: str | None = None) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "field": field}, status=status)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    field, message = errors_message(exc.errors, _label)
    return _error(request, 400, "invalid", message, field)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises these in English: 401 without a session, 403 on a failed CSRF check, 400 on a body
    # that is not JSON.
    status = exc.status_code
    if status == 403 and "CSRF" in str(exc):
        return _error(request, 403, "csrf", CSRF_MESSAGE)
    codes = {400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found"}
    return _error(request, status, codes.get(status, "error"), HTTP_MESSAGES.get(status, str(exc)))


@api.exception_handler(MultiPartParserError)
def unreadable_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # A body declared as a form but malformed (no boundary, say): Django would answer with an HTML page.
    return _error(request, 400, "invalid", "请求体无法读取：请以 Content-Type: application/json 发送 JSON")


@api.exception_handler(RequestDataTooBig)
def body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return _error(request, 413, "too_large", f"请求体过大：最多 {size} MB")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", HTTP_MESSAGES[404])


@csrf_exempt  # it changes nothing; without this a POST would get the CSRF middleware's HTML 403 page
def unknown_address(request: HttpRequest, path: str = "") -> HttpResponse:
    """An address under /api/ that is no operation: the JSON refusal, not the site's HTML 404 page."""
    return _error(request, 404, "not_found", f"{HTTP_MESSAGES[404]}：没有这个接口地址（接口一览见 /api/v1/docs）")


def _json_method_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """ninja answers a method an address does not take with plain English text; answer it like every other
    refusal, keeping the Allow header."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        allowed = response.get("Allow", "")
        message = f"{HTTP_MESSAGES[405]}：{request.method}（本地址只接受 {allowed}）"
        refused = _error(request, 405, "method_not_allowed", message)
        refused["Allow"] = allowed
        return refused

    return wrapped


def _register_routers() -> None:
    from zjtx.enterprises.api import router as enterprises_router
    from zjtx.policy.api import router as policy_router

    api.add_router("/enterprises", enterprises_router)
    api.add_router("/policy", policy_router)

    from zjtx.awards.api import router as awards_router
    from zjtx.tiers.api import router as tiers_router

    api.add_router("/tiers", tiers_router)
    api.add_router("/awards", awards_router)

    from zjtx.targets.api import router as targets_router

    api.add_router("/targets", targets_router)
    from zjtx.matcher.api import router as matcher_router

    api.add_router("/matcher", matcher_router)


_register_routers()
