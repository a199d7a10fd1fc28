from django.urls import path

from fairhearing.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.queues, name="queues"),
    path("record/", views.record_complaint, name="record"),
    path("<uuid:public_id>/", views.case_detail, name="detail"),
    path("<uuid:public_id>/transition/", views.case_transition, name="transition"),
    path("<uuid:public_id>/pause/", views.case_pause, name="pause"),
    path("<uuid:public_id>/resume/", views.case_resume, name="resume"),
    path("<uuid:public_id>/fast-track/", views.case_fast_track, name="fast_track"),
    path("<uuid:public_id>/note/", views.case_note, name="note"),
    path("<uuid:public_id>/assign/", views.case_assign, name="assign"),
]
