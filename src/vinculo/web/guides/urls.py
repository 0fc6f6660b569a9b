from django.urls import path, re_path

from . import views

app_name = "guides"

urlpatterns = [
    path("", views.guide_list, name="list"),
    re_path(r"^screenshots/(?P<name>[a-z0-9][a-z0-9-]*\.png)$", views.screenshot, name="screenshot"),
    re_path(r"^(?P<slug>[a-z0-9][a-z0-9-]*)/$", views.guide_detail, name="detail"),
]
