from django.urls import path

from .views import campaigns as v

urlpatterns = [
    path("campaigns/", v.campaign_list, name="campaigns-campaign-list"),
    path("campaigns/new/", v.campaign_create, name="campaigns-campaign-create"),
    path("campaigns/<int:campaign_id>/", v.campaign_detail, name="campaigns-campaign-detail"),
    path("campaigns/<int:campaign_id>/edit/", v.campaign_update, name="campaigns-campaign-update"),
    path(
        "campaigns/<int:campaign_id>/status/", v.campaign_status, name="campaigns-campaign-status"
    ),
    path("campaigns/<int:campaign_id>/adopt/", v.campaign_adopt, name="campaigns-campaign-adopt"),
    path("campaigns/<int:campaign_id>/phases/new/", v.phase_create, name="campaigns-phase-create"),
    path(
        "campaigns/<int:campaign_id>/phases/<int:phase_id>/edit/",
        v.phase_update,
        name="campaigns-phase-update",
    ),
    path(
        "campaigns/<int:campaign_id>/phases/<int:phase_id>/delete/",
        v.phase_delete,
        name="campaigns-phase-delete",
    ),
    path(
        "campaigns/<int:campaign_id>/key-tasks/new/",
        v.key_task_create,
        name="campaigns-key-task-create",
    ),
    path(
        "campaigns/<int:campaign_id>/key-tasks/<int:task_id>/edit/",
        v.key_task_update,
        name="campaigns-key-task-update",
    ),
    path(
        "campaigns/<int:campaign_id>/key-tasks/<int:task_id>/delete/",
        v.key_task_delete,
        name="campaigns-key-task-delete",
    ),
    path(
        "campaigns/<int:campaign_id>/leadership/",
        v.leadership_update,
        name="campaigns-leadership-update",
    ),
    path(
        "campaigns/<int:campaign_id>/attachments/new/",
        v.attachment_create,
        name="campaigns-attachment-create",
    ),
    path(
        "campaigns/<int:campaign_id>/attachments/<int:attachment_id>/",
        v.attachment_download,
        name="campaigns-attachment-download",
    ),
    path(
        "campaigns/<int:campaign_id>/attachments/<int:attachment_id>/delete/",
        v.attachment_delete,
        name="campaigns-attachment-delete",
    ),
]
