from django.urls import path

from . import editing, views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("review/", views.review_queue, name="review"),
    path("new/", editing.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/edit/", editing.programme_edit, name="edit"),
    path("<int:pk>/step/", editing.programme_step, name="step"),
    path("<int:pk>/translate/<str:language>/", editing.programme_translate, name="translate"),
    path("<int:pk>/history/", views.programme_history, name="history"),
    path("<int:pk>/history/<int:number>/", views.programme_version, name="version"),
    path("<int:pk>/documents/", editing.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:doc>/", views.document_download, name="document"),
    path("<int:pk>/documents/<int:doc>/delete/", editing.document_delete, name="document_delete"),
]
