"""Problems and rectification under /problems/, and the public pages under /public/ (no login)."""

from django.urls import path

from .views import problems as p
from .views import public

urlpatterns = [
    path("problems/", p.problem_list, name="problems-problem-list"),
    path("problems/new/", p.problem_create, name="problems-problem-create"),
    path("problems/<int:problem_id>/", p.problem_detail, name="problems-problem-detail"),
    path("problems/<int:problem_id>/solve/", p.problem_solve, name="problems-problem-solve"),
    path("problems/<int:problem_id>/attach/", p.problem_attach, name="problems-problem-attach"),
    path("problems/<int:problem_id>/assign/", p.problem_assign, name="problems-problem-assign"),
    path(
        "problems/<int:problem_id>/escalate/", p.problem_escalate, name="problems-problem-escalate"
    ),
    path(
        "problems/<int:problem_id>/invalid/",
        p.problem_invalidate,
        name="problems-problem-invalidate",
    ),
    path(
        "problems/<int:problem_id>/disclose/", p.problem_disclose, name="problems-problem-disclose"
    ),
    path(
        "problems/<int:problem_id>/withdraw/", p.problem_withdraw, name="problems-problem-withdraw"
    ),
    path(
        "problems/<int:problem_id>/rectification/",
        p.rectification_set,
        name="problems-rectification-set",
    ),
    path(
        "problems/<int:problem_id>/progress/",
        p.rectification_progress,
        name="problems-rectification-progress",
    ),
    path(
        "problems/<int:problem_id>/claim/",
        p.rectification_claim,
        name="problems-rectification-claim",
    ),
    path(
        "problems/<int:problem_id>/close/",
        p.rectification_close,
        name="problems-rectification-close",
    ),
    path(
        "problems/<int:problem_id>/send-back/",
        p.rectification_send_back,
        name="problems-rectification-send-back",
    ),
    path(
        "problems/<int:problem_id>/extension/",
        p.extension_request,
        name="problems-extension-request",
    ),
    path(
        "problems/extensions/<int:extension_id>/decide/",
        p.extension_decide,
        name="problems-extension-decide",
    ),
    path(
        "problems/milestones/<int:milestone_id>/done/",
        p.milestone_done,
        name="problems-milestone-done",
    ),
    path(
        "problems/files/<int:evidence_id>/", p.evidence_download, name="problems-evidence-download"
    ),
    path("problems/dashboard/", p.dashboard, name="problems-dashboard"),
    path("problems/categories/", p.category_list, name="problems-category-list"),
    path("problems/ledger/", p.ledger, name="problems-ledger"),
    path("problems/ledger/export.xlsx", p.ledger_export, name="problems-ledger-export"),
    path("problems/ledger/template.xlsx", p.ledger_template, name="problems-ledger-template"),
    path("problems/commitments/", p.commitment_list, name="problems-commitment-list"),
    path("problems/commitments/new/", p.commitment_create, name="problems-commitment-create"),
    path(
        "problems/commitments/<int:commitment_id>/verify/",
        p.commitment_verify,
        name="problems-commitment-verify",
    ),
    path("problems/opinions/", p.opinion_list, name="problems-opinion-list"),
    path("problems/opinions/<int:opinion_id>/", p.opinion_detail, name="problems-opinion-detail"),
    path(
        "problems/opinions/<int:opinion_id>/answer/",
        p.opinion_answer,
        name="problems-opinion-answer",
    ),
    path(
        "problems/opinions/<int:opinion_id>/problem/",
        p.opinion_to_problem,
        name="problems-opinion-to-problem",
    ),
    path("problems/units/<int:unit_id>/opinion-box/", p.opinion_box, name="problems-opinion-box"),
    # Public pages: no login.
    path("public/units/<int:unit_id>/", public.unit_page, name="public-unit-detail"),
    path(
        "public/units/<int:unit_id>/opinions/", public.opinion_create, name="public-opinion-create"
    ),
    path("public/units/<int:unit_id>/opinion-box.png", public.opinion_qr, name="public-opinion-qr"),
    path(
        "public/units/<int:unit_id>/opinion-box/print/",
        public.opinion_print,
        name="public-opinion-print",
    ),
    path("public/problems/<int:problem_id>/", public.problem_page, name="public-problem-detail"),
    path("public/problems/<int:problem_id>/rate/", public.problem_rate, name="public-problem-rate"),
    path(
        "public/campaigns/<int:campaign_id>/commitments/",
        public.campaign_commitments,
        name="public-commitment-list",
    ),
]
