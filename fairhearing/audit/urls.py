from django.urls import path

from fairhearing.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("events/", views.events, name="events"),
    path("verify/", views.verify_now, name="verify"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("break-glass/<uuid:public_id>/end/", views.break_glass_end, name="break_glass_end"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/person/<str:key>/", views.contacts_person, name="contacts_person"),
    path("contacts/case/<uuid:public_id>/", views.contacts_case, name="contacts_case"),
    path("contacts/record/<uuid:public_id>/", views.contact_record, name="contact_record"),
]
