from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("", views.mechanism_list, name="list"),
    path("new/", views.mechanism_edit, name="create"),
    path("<int:pk>/", views.mechanism_detail, name="detail"),
    path("<int:pk>/edit/", views.mechanism_edit, name="edit"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("notes/", views.note_list, name="notes"),
    path("notes/new/", views.note_create, name="note_create"),
    path("notes/<int:pk>/", views.note_detail, name="note"),
]
