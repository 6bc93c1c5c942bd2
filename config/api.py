"""The JSON API root (wiring only). Each app adds its router; errors share one shape: {code, message, field}."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import SessionAuth

from zjtx.core.errors import ApplicationError

# The reference (/api/v1/docs, /api/v1/openapi.json) is for logged-in users, like every page.
api = NinjaAPI(title="zjtx 专精特新培育平台 API", version="1", auth=SessionAuth(), urls_namespace="api",
               docs_decorator=login_required)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, {"code": exc.code, "message": exc.message, "field": exc.field},
                               status=exc.status)


def _register_routers() -> None:
    from zjtx.enterprises.api import router as enterprises_router
    from zjtx.policy.api import router as policy_router

    api.add_router("/enterprises", enterprises_router)
    api.add_router("/policy", policy_router)

    from zjtx.awards.api import router as awards_router
    from zjtx.tiers.api import router as tiers_router

    api.add_router("/tiers", tiers_router)
    api.add_router("/awards", awards_router)


_register_routers()
