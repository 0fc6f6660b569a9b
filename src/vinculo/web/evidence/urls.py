from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("", views.home, name="home"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:iso3>/", views.country_profile, name="country"),
    path("regions/<str:name>/", views.region_profile, name="region"),
    path("subregions/<str:name>/", views.subregion_profile, name="subregion"),
    path("world/", views.world_profile, name="world"),
    path("tables/<str:level>/<str:code>/<str:key>.<str:fmt>", views.profile_download, name="download"),
    path("explore/<str:level>/<str:code>.<str:fmt>", views.explore_download, name="explore_download"),
    path("compare/<str:iso3>.<str:fmt>", views.compare_download, name="compare_download"),
    path("maps/<str:level>/<str:code>.<str:fmt>", views.map_download, name="map_download"),
    path("flows/", views.flows, name="flows"),
    path("flows/sankey.<str:fmt>", views.sankey_download, name="sankey_download"),
    path("flows/matrix.<str:fmt>", views.flow_matrix_download, name="flow_matrix"),
    path("releases/", views.releases, name="releases"),
    path("submissions/", views.submission_list, name="submissions"),
    path("submissions/new/", views.submission_create, name="submission_create"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/review/", views.submission_review, name="submission_review"),
]
