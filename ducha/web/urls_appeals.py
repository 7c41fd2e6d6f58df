from django.urls import path

from .views import appeals as v

urlpatterns = [
    path(
        "campaigns/<int:campaign_id>/assessment/releases/",
        v.release_list,
        name="assessment-release-list",
    ),
    path(
        "campaigns/<int:campaign_id>/assessment/releases/publish/",
        v.release_publish,
        name="assessment-release-publish",
    ),
    path(
        "assessment/releases/<int:release_id>/",
        v.release_detail,
        name="assessment-release-detail",
    ),
    path("assessment/my-scores/", v.my_scores, name="assessment-my-scores"),
    path(
        "assessment/scores/<int:score_id>/evidence/",
        v.score_evidence,
        name="assessment-score-evidence",
    ),
    path(
        "assessment/releases/<int:release_id>/appeals/new/",
        v.appeal_create,
        name="assessment-appeal-create",
    ),
    path("assessment/appeals/<int:appeal_id>/", v.appeal_detail, name="assessment-appeal-detail"),
    path(
        "assessment/appeals/<int:appeal_id>/decide/",
        v.appeal_decide,
        name="assessment-appeal-decide",
    ),
    path(
        "assessment/appeals/<int:appeal_id>/file/",
        v.appeal_file_download,
        name="assessment-appeal-file",
    ),
]
