from django.urls import path

from zjtx.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.home, name="home"),
    path("lists/", views.lists, name="lists"),
    path("lists/new/", views.list_new, name="list_new"),
    path("lists/<int:pk>/", views.list_detail, name="list"),
    path("lists/<int:pk>.xlsx", views.list_xlsx, name="list_xlsx"),
    path("loans/", views.loans, name="loans"),
    path("loans/new/", views.loan_new, name="loan_new"),
    path("credit/", views.credit, name="credit"),
    path("receivables/", views.receivables, name="receivables"),
    path("receivables/new/", views.receivable_new, name="receivable_new"),
    path("receivables/<int:pk>/", views.receivable_detail, name="receivable"),
    path("receivables/<int:pk>/<str:action>/", views.receivable_act, name="receivable_act"),
    path("reserve/", views.reserve, name="reserve"),
    path("reserve/new/", views.candidate_new, name="candidate_new"),
    path("reserve/<int:pk>/", views.candidate_detail, name="candidate"),
]
