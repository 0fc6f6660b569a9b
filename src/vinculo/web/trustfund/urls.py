from django.urls import path

from . import views

app_name = "trustfund"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("detail/", views.detail, name="detail"),
    path("contributions/new/", views.contribution_create, name="contribution_create"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("grants/new/", views.grant_create, name="grant_create"),
    path("grants/<int:pk>/", views.grant_detail, name="grant"),
    path("grants/<int:pk>/disburse/", views.disbursement_create, name="disbursement_create"),
    path("grants/<int:pk>/reports/new/", views.report_create, name="report_create"),
]
