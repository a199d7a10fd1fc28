from django.urls import path

from fairhearing.decisions import views

app_name = "decisions"
urlpatterns = [
    path("interests/", views.interests, name="interests"),
    path("pool/", views.pool, name="pool"),
    path("pool/<uuid:public_id>/", views.pool_member, name="pool_member"),
    path("pool/<uuid:public_id>/remove/", views.pool_remove, name="pool_remove"),
    path("<uuid:public_id>/", views.workspace, name="workspace"),
    path("<uuid:public_id>/written/", views.written, name="written"),
    path("<uuid:public_id>/written.pdf", views.written_pdf, name="written_pdf"),
    path("<uuid:public_id>/<slug:action>/", views.act, name="act"),
]
