from django.contrib import admin
from django.urls import include, path, re_path

from config.api import api, unknown_address

urlpatterns = [
    path("", include("zjtx.core.urls")),
    path("accounts/", include("zjtx.accounts.urls")),
    path("enterprises/", include("zjtx.enterprises.urls")),
    path("policy/", include("zjtx.policy.urls")),
    path("tiers/", include("zjtx.tiers.urls")),
    path("awards/", include("zjtx.awards.urls")),
    path("targets/", include("zjtx.targets.urls")),
    path("matcher/", include("zjtx.matcher.urls")),
    path("services/", include("zjtx.services.urls")),
    path("duties/", include("zjtx.duties.urls")),
    path("finance/", include("zjtx.finance.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<path>.*)$", unknown_address),
    path("admin/", admin.site.urls),
]
