from django.urls import path

from . import views

app_name = "estimates"
urlpatterns = [
    path("", views.estimate_list, name="list"),
    path("new/", views.estimate_create, name="create"),
    path("example.csv", views.example_table, name="example"),
    path("<int:pk>/", views.estimate_detail, name="detail"),
    path("<int:pk>/status.json", views.estimate_status, name="status"),
    path("<int:pk>/result.json", views.estimate_download, name="download"),
    path("<int:pk>/delete/", views.estimate_delete, name="delete"),
]
