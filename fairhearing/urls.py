from django.urls import include, path

urlpatterns = [
    path("", include("fairhearing.core.urls")),
    path("accounts/", include("fairhearing.accounts.urls")),
    path("cases/", include("fairhearing.cases.urls")),
    path("", include("fairhearing.intake.urls")),
    path("decisions/", include("fairhearing.decisions.urls")),
    path("registry/", include("fairhearing.registry.urls")),
    path("audit/", include("fairhearing.audit.urls")),
    path("statistics/", include("fairhearing.reports.urls")),
    path("privacy/", include("fairhearing.privacy.urls")),
    path("conduct/", include("fairhearing.conduct.urls")),
    path("suggestions/", include("fairhearing.suggestions.urls")),
    path("api/v1/", include("fairhearing.api.urls")),
]

handler400 = "fairhearing.core.views.bad_request"
handler403 = "fairhearing.core.views.forbidden"
handler404 = "fairhearing.core.views.not_found"
handler500 = "fairhearing.core.views.server_error"
