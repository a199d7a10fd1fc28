from django.urls import path

from fairhearing.intake import staff_views, views

app_name = "intake"
urlpatterns = [
    path("complain/", views.complaint_new, name="complain"),
    path("complain/receipt/", views.receipt, name="receipt"),
    path("status/", views.status_lookup, name="lookup"),
    path("status/<uuid:public_id>/", views.status, name="status"),
    path("status/<uuid:public_id>/message/", views.status_message, name="status_message"),
    path("status/<uuid:public_id>/evidence/", views.status_evidence, name="status_evidence"),
    path("respond/<str:token>/", views.respond, name="respond"),
    path("respond/<str:token>/move-hearing/", views.respond_move, name="respond_move"),
    path("respond/<str:token>/evidence/<uuid:public_id>/", views.respond_evidence, name="respond_evidence"),
    path("intake/complaints/", staff_views.complaints, name="staff_complaints"),
    path("intake/complaints/<uuid:public_id>/", staff_views.complaint_detail, name="staff_complaint"),
    path("intake/complaints/<uuid:public_id>/reply/", staff_views.complaint_reply, name="staff_reply"),
    path("intake/complaints/<uuid:public_id>/unlink/", staff_views.complaint_unlink, name="staff_unlink"),
    path("intake/complaints/<uuid:public_id>/link/", staff_views.complaint_link, name="staff_link"),
    path("intake/evidence/<uuid:public_id>/", staff_views.evidence_download, name="staff_evidence"),
    path("intake/spam/", staff_views.spam_queue, name="spam_queue"),
    path("intake/spam/<int:pk>/", staff_views.spam_decide, name="spam_decide"),
]
