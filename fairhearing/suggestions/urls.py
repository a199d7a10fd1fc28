from django.urls import path

from fairhearing.suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("case/<uuid:public_id>/", views.case_suggestions, name="case"),
    path("<uuid:public_id>/decide/", views.suggestion_decide, name="decide"),
]
