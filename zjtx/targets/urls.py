from django.urls import path

from zjtx.targets import views

app_name = "targets"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("report/", views.report, name="report"),
    path("import/", views.import_figures, name="import"),
    path("export.xlsx", views.export, name="export"),
    path("cities.xlsx", views.export_cities, name="export_cities"),
    path("<str:target_id>/", views.detail, name="detail"),
]
