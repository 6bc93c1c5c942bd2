from django.urls import path

from zjtx.awards import views

app_name = "awards"

urlpatterns = [
    path("", views.entitlements, name="entitlements"),
    path("generate/", views.generate, name="generate"),
    path("entitlements/<int:pk>/", views.entitlement_detail, name="entitlement"),
    path("entitlements/<int:pk>/<str:action>/", views.entitlement_act, name="entitlement_act"),
    path("budgets/", views.budgets, name="budgets"),
    path("ledger/", views.ledger, name="ledger"),
    path("payments/", views.payments, name="payments"),
    path("payments.xlsx", views.payments_xlsx, name="payments_xlsx"),
]
