from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("zjtx.core.urls")),
    path("accounts/", include("zjtx.accounts.urls")),
    path("enterprises/", include("zjtx.enterprises.urls")),
    path("policy/", include("zjtx.policy.urls")),
    path("tiers/", include("zjtx.tiers.urls")),
    path("awards/", include("zjtx.awards.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
