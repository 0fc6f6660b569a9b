from django.urls import path

from . import views

app_name = "treaties"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("treaties/", views.world, name="world"),
    path("treaties/regions/", views.regions, name="regions"),
    path("treaties/<str:iso3>/", views.state, name="state"),
    path("treaties/<str:iso3>/confirm/", views.confirm, name="confirm"),
    path("treaties/<str:iso3>/<str:instrument>/edit/", views.edit, name="edit"),
    path("treaties/<str:iso3>/<str:instrument>/history/", views.history, name="history"),
]
