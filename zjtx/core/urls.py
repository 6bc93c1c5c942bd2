from django.urls import path

from zjtx.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("modules/<slug:slug>/", views.under_construction, name="under_construction"),
    path("healthz", views.healthz, name="healthz"),
]
