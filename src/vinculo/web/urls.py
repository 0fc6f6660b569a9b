from django.urls import include, path, re_path

from .api import api, api_not_found

urlpatterns = [
    path("", include(("vinculo.web.core.urls", "core"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("vinculo.web.accounts.urls")),
    path("audit/", include("vinculo.web.audit.urls")),
    path("exchange/", include("vinculo.web.exchange.urls")),
    path("estimates/", include("vinculo.web.estimates.urls")),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
]

handler400 = "vinculo.web.core.views.bad_request"
handler403 = "vinculo.web.core.views.permission_denied"
handler404 = "vinculo.web.core.views.page_not_found"
handler500 = "vinculo.web.core.views.server_error"
