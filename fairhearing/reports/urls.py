from django.urls import path

from fairhearing.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.statistics_page, name="statistics"),
    path("statistics.<str:fmt>", views.statistics_download, name="download"),
    path("summaries/new/<uuid:public_id>/", views.summary_new, name="summary_new"),
]
