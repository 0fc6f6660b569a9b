from django.urls import path

from . import views

app_name = "appraisal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plan/", views.plan, name="plan"),
    path("plan/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("questionnaires/", views.questionnaires, name="questionnaires"),
    path("questionnaires/<int:pk>/", views.questionnaire, name="questionnaire"),
    path("cycles/<int:year>/start/", views.start, name="start"),
    path("cycles/<int:year>/toggle/", views.cycle_toggle, name="cycle_toggle"),
]
