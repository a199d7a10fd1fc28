from django.urls import path

from fairhearing.conduct import views

app_name = "conduct"
urlpatterns = [
    path("", views.code_list, name="list"),
    path("compare/", views.compare, name="compare"),
    path("versions/<uuid:public_id>/", views.version_detail, name="version"),
    path("versions/<uuid:public_id>/clauses/<str:identifier>/", views.clause_detail, name="clause"),
]
