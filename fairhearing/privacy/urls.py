from django.urls import path

from fairhearing.privacy import views

app_name = "privacy"
urlpatterns = [
    path("requests/", views.requests_queue, name="requests"),
    path("requests/<uuid:public_id>/", views.request_detail, name="request"),
    path("requests/<uuid:public_id>/export", views.request_export, name="export"),
    path("cases/<uuid:public_id>/hold", views.hold_place, name="hold"),
    path("holds/<uuid:public_id>/lift", views.hold_lift, name="lift"),
]
