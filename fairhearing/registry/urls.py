from django.urls import path

from fairhearing.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.registry_list, name="list"),
    path("check/", views.platform_check, name="check"),
]
