from django.urls import path

from .views import assessment as v

urlpatterns = [
    path(
        "campaigns/<int:campaign_id>/assessment/",
        v.indicator_list,
        name="assessment-indicator-list",
    ),
    path(
        "campaigns/<int:campaign_id>/assessment/ranking/",
        v.ranking,
        name="assessment-ranking",
    ),
    path(
        "campaigns/<int:campaign_id>/assessment/scores/",
        v.score_set,
        name="assessment-score-set",
    ),
    path(
        "campaigns/<int:campaign_id>/assessment/follow-ups/",
        v.follow_up_create,
        name="assessment-follow-up-create",
    ),
    path(
        "campaigns/<int:campaign_id>/assessment/scores/import/",
        v.score_import,
        name="assessment-score-import",
    ),
    path(
        "campaigns/<int:campaign_id>/assessment/indicators.xlsx",
        v.indicator_export,
        name="assessment-indicator-export",
    ),
    path(
        "campaigns/<int:campaign_id>/assessment/indicators/import/",
        v.indicator_import,
        name="assessment-indicator-import",
    ),
    path(
        "campaigns/<int:campaign_id>/assessment/scores/history/",
        v.score_history,
        name="assessment-score-history",
    ),
]
