from django.urls import include, path, re_path

from .api import api, api_not_found

urlpatterns = [
    path("", include(("vinculo.web.core.urls", "core"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("vinculo.web.accounts.urls")),
    path("audit/", include("vinculo.web.audit.urls")),
    path("exchange/", include("vinculo.web.exchange.urls")),
    path("estimates/", include("vinculo.web.estimates.urls")),
    path("cases/", include("vinculo.web.cases.urls")),
    path("linkage/", include("vinculo.web.linkage.urls")),
    path("programmes/", include("vinculo.web.programmes.urls")),
    path("evidence/", include("vinculo.web.evidence.urls")),
    path("coordination/network/", include("vinculo.web.network.urls")),
    path("coordination/appraisal/", include("vinculo.web.appraisal.urls")),
    path("coordination/trust-fund/", include("vinculo.web.trustfund.urls")),
    path("coordination/events/", include("vinculo.web.events.urls")),
    path("coordination/", include("vinculo.web.treaties.urls")),
    path("reports/", include("vinculo.web.reports.urls")),
    path("guides/", include("vinculo.web.guides.urls")),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
]

handler400 = "vinculo.web.core.views.bad_request"
handler403 = "vinculo.web.core.views.permission_denied"
handler404 = "vinculo.web.core.views.page_not_found"
handler500 = "vinculo.web.core.views.server_error"
