from django.urls import path

from . import views

app_name = "linkage"
urlpatterns = [
    path("", views.exercise_list, name="list"),
    path("new/", views.exercise_create, name="create"),
    path("<int:pk>/", views.exercise_detail, name="detail"),
    path("<int:pk>/status.json", views.exercise_status, name="status"),
    path("<int:pk>/invite/", views.exercise_invite, name="invite"),
    path("<int:pk>/answer/", views.exercise_answer, name="answer"),
    path("<int:pk>/contribute/", views.exercise_contribute, name="contribute"),
    path("<int:pk>/run/", views.exercise_run, name="run"),
    path("<int:pk>/records/", views.exercise_records, name="records"),
    path("<int:pk>/review/", views.exercise_review, name="review"),
    path("<int:pk>/review/<int:pair>/", views.exercise_decide, name="decide"),
    path("<int:pk>/estimate/", views.exercise_estimate, name="estimate"),
]
