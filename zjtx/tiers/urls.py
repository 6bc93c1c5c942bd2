from django.urls import path

from zjtx.tiers import views

app_name = "tiers"

urlpatterns = [
    path("", views.batches, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/close/", views.batch_close, name="batch_close"),
    path("batches/<int:pk>/deadline/", views.batch_deadline, name="batch_deadline"),
    path("batches/<int:pk>/applications.xlsx", views.batch_export, name="batch_export"),
    path("batches/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/<str:action>/", views.application_act, name="application_act"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("recognitions/", views.recognitions, name="recognitions"),
    path("recognitions.xlsx", views.recognitions_export, name="recognitions_export"),
    path("recognitions/<int:pk>/", views.recognition_detail, name="recognition"),
    path("enterprise/<str:code>/", views.enterprise_ladder, name="enterprise"),
    path("holidays/", views.holidays, name="holidays"),
    path("holidays/<int:pk>/delete/", views.holiday_delete, name="holiday_delete"),
    path("reviews/", views.reviews, name="reviews"),
]
