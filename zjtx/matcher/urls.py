from django.urls import path

from zjtx.matcher import views

app_name = "matcher"

urlpatterns = [
    path("", views.home, name="home"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates.xlsx", views.candidates_xlsx, name="candidates_xlsx"),
    path("<str:code>/", views.calculator, name="calculator"),
]
