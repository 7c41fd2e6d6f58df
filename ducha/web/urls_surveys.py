from django.urls import path

from .views import public_surveys as public
from .views import surveys as v
from .views import surveys_recognition as r

urlpatterns = [
    # surveys
    path("surveys/", v.survey_list, name="surveys-survey-list"),
    path("surveys/new/", v.survey_create, name="surveys-survey-create"),
    path("surveys/<int:survey_id>/", v.survey_detail, name="surveys-survey-detail"),
    path("surveys/<int:survey_id>/edit/", v.survey_update, name="surveys-survey-update"),
    path("surveys/<int:survey_id>/status/", v.survey_status, name="surveys-survey-status"),
    path("surveys/<int:survey_id>/sections/new/", v.section_create, name="surveys-section-create"),
    path(
        "surveys/<int:survey_id>/sections/<int:section_id>/delete/",
        v.section_delete,
        name="surveys-section-delete",
    ),
    path(
        "surveys/<int:survey_id>/questions/new/",
        v.question_create,
        name="surveys-question-create",
    ),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/edit/",
        v.question_update,
        name="surveys-question-update",
    ),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/delete/",
        v.question_delete,
        name="surveys-question-delete",
    ),
    path("surveys/<int:survey_id>/links/", v.survey_links, name="surveys-survey-links"),
    path(
        "surveys/<int:survey_id>/units/<int:unit_id>/qr.png",
        v.survey_qr,
        name="surveys-survey-qr",
    ),
    path(
        "surveys/<int:survey_id>/units/<int:unit_id>/poster/",
        v.survey_poster,
        name="surveys-survey-poster",
    ),
    path("surveys/<int:survey_id>/answer/", v.survey_answer, name="surveys-survey-answer"),
    path("surveys/<int:survey_id>/results/", v.survey_results, name="surveys-survey-results"),
    path("surveys/<int:survey_id>/results.xlsx", v.survey_export, name="surveys-survey-export"),
    path(
        "surveys/<int:survey_id>/answers/<int:answer_id>/moderate/",
        v.answer_moderate,
        name="surveys-answer-moderate",
    ),
    path("surveys/<int:survey_id>/feedback/", v.feedback_publish, name="surveys-feedback-publish"),
    # honours and nominations
    path("honours/", r.honour_list, name="surveys-honour-list"),
    path("honours/new/", r.honour_create, name="surveys-honour-create"),
    path("honours/<int:honour_id>/", r.honour_detail, name="surveys-honour-detail"),
    path("honours/<int:honour_id>/open/", r.honour_open, name="surveys-honour-open"),
    path(
        "honours/<int:honour_id>/nominate/", r.nomination_create, name="surveys-nomination-create"
    ),
    path("nominations/<int:nomination_id>/", r.nomination_detail, name="surveys-nomination-detail"),
    path(
        "nominations/<int:nomination_id>/decide/",
        r.nomination_decide,
        name="surveys-nomination-decide",
    ),
    path(
        "nominations/<int:nomination_id>/evidence/",
        r.evidence_create,
        name="surveys-evidence-create",
    ),
    path(
        "nominations/<int:nomination_id>/evidence/<int:evidence_id>/",
        r.evidence_download,
        name="surveys-evidence-download",
    ),
    # typical cases
    path("typical-cases/", r.case_list, name="surveys-case-list"),
    path("typical-cases/new/", r.case_create, name="surveys-case-create"),
    path("typical-cases/<int:case_id>/", r.case_detail, name="surveys-case-detail"),
    path("typical-cases/<int:case_id>/edit/", r.case_update, name="surveys-case-update"),
    path("typical-cases/<int:case_id>/review/", r.case_review, name="surveys-case-review"),
    # public pages, no account
    path(
        "public/surveys/<str:public_key>/<int:unit_id>/",
        public.answer,
        name="surveys-public-answer",
    ),
    path(
        "public/surveys/<str:public_key>/<int:unit_id>/thanks/",
        public.thanks,
        name="surveys-public-thanks",
    ),
    path(
        "public/surveys/<str:public_key>/<int:unit_id>/results/",
        public.published_results,
        name="surveys-public-results",
    ),
    path("public/typical-cases/", public.case_list, name="surveys-public-case-list"),
    path(
        "public/typical-cases/<int:case_id>/",
        public.case_detail,
        name="surveys-public-case-detail",
    ),
]
