from django.urls import path

from zjtx.duties import views

app_name = "duties"

urlpatterns = [
    path("", views.tasks, name="tasks"),
    path("periods/", views.periods, name="periods"),
    path("periods/open/", views.period_open, name="period_open"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:pk>.xlsx", views.period_xlsx, name="period_xlsx"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/<str:action>/", views.report_act, name="report_act"),
]
