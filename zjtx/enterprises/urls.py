from django.urls import path

from zjtx.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("import/", views.import_page, name="import"),
    path("import/template/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/errors.xlsx", views.import_report, name="import_report"),
    path("<str:code>/", views.enterprise_detail, name="detail"),
    path("<str:code>/edit/", views.enterprise_edit, name="edit"),
    path("<str:code>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("<str:code>/indicators/<int:year>/", views.indicator_edit, name="indicator_edit"),
]
