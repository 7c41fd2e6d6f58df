from django.urls import path

from .views import submissions

urlpatterns = [
    path(
        "campaigns/<int:campaign_id>/requirements/",
        submissions.requirement_list,
        name="submissions-requirement-list",
    ),
    path(
        "campaigns/<int:campaign_id>/requirements/new/",
        submissions.requirement_create,
        name="submissions-requirement-create",
    ),
    path(
        "campaigns/<int:campaign_id>/requirements/<int:requirement_id>/edit/",
        submissions.requirement_update,
        name="submissions-requirement-update",
    ),
    path(
        "campaigns/<int:campaign_id>/requirements/<int:requirement_id>/delete/",
        submissions.requirement_delete,
        name="submissions-requirement-delete",
    ),
    path(
        "campaigns/<int:campaign_id>/submit/<int:requirement_id>/",
        submissions.submission_create,
        name="submissions-submission-create",
    ),
    path(
        "campaigns/<int:campaign_id>/review/",
        submissions.review_queue,
        name="submissions-review-queue",
    ),
    path(
        "submissions/<int:submission_id>/",
        submissions.submission_detail,
        name="submissions-submission-detail",
    ),
    path(
        "submissions/<int:submission_id>/accept/",
        submissions.submission_accept,
        name="submissions-submission-accept",
    ),
    path(
        "submissions/<int:submission_id>/return/",
        submissions.submission_return,
        name="submissions-submission-return",
    ),
    path(
        "submissions/files/<int:file_id>/",
        submissions.file_download,
        name="submissions-file-download",
    ),
]
