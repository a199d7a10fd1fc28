from django.urls import include, path

urlpatterns = [
    path("", include("fairhearing.core.urls")),
    path("accounts/", include("fairhearing.accounts.urls")),
    path("cases/", include("fairhearing.cases.urls")),
]

handler400 = "fairhearing.core.views.bad_request"
handler403 = "fairhearing.core.views.forbidden"
handler404 = "fairhearing.core.views.not_found"
handler500 = "fairhearing.core.views.server_error"
