from django.urls import path

from zjtx.services import views

app_name = "services"

urlpatterns = [
    path("", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/<str:action>/", views.request_act, name="request_act"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage.xlsx", views.coverage_xlsx, name="coverage_xlsx"),
    path("coverage/assign/<str:code>/", views.assign, name="assign"),
]
