from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("counts/", views.case_counts, name="counts"),
    path("export/", views.case_export, name="export"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/history/", views.case_history, name="history"),
    path("submissions/", views.submission_list, name="submissions"),
    path("submissions/new/", views.submission_create, name="submit"),
    path("submissions/template.<str:fmt>", views.submission_template, name="template"),
    path("submissions/example.csv", views.submission_example, name="example"),
    path("submissions/<int:pk>/mapping/", views.submission_mapping, name="mapping"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/status.json", views.submission_status, name="submission_status"),
    path("submissions/<int:pk>/problems.csv", views.submission_problems, name="problems"),
    path("submissions/<int:pk>/quarantine.csv", views.submission_quarantine, name="quarantine"),
    path("submissions/<int:pk>/confirm/", views.submission_confirm, name="confirm"),
    path("submissions/<int:pk>/cancel/", views.submission_cancel, name="cancel"),
]
