from django.urls import path

from zjtx.policy import views

app_name = "policy"

urlpatterns = [
    path("", views.parameters, name="parameters"),
    path("p/<str:parameter_id>/", views.parameter_detail, name="parameter"),
    path("p/<str:parameter_id>/withdraw/", views.parameter_value_withdraw, name="parameter_withdraw"),
    path("whatif/", views.whatif, name="whatif"),
    path("runs/", views.province_runs, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/export.xlsx", views.run_export, name="run_export"),
    path("explain/<str:code>/", views.explain_enterprise, name="explain"),
    path("facts/<str:code>/", views.facts_edit, name="facts"),
    path("events/<str:code>/", views.events, name="events"),
    path("events/<str:code>/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<str:code>/<int:pk>/withdraw/", views.event_withdraw, name="event_withdraw"),
]
