from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:kind>/<int:year>/", views.report_html, name="html"),
    path("<str:kind>/<int:year>/pdf/", views.report_pdf, name="pdf"),
]
