from django.urls import path

from .views import inspections as v

urlpatterns = [
    path("inspections/", v.round_list, name="inspections-round-index"),
    path(
        "campaigns/<int:campaign_id>/inspections/",
        v.round_list,
        name="inspections-round-list",
    ),
    path(
        "campaigns/<int:campaign_id>/inspections/new/",
        v.round_create,
        name="inspections-round-create",
    ),
    path("inspections/<int:round_id>/", v.round_detail, name="inspections-round-detail"),
    path(
        "inspections/<int:round_id>/findings/new/",
        v.finding_create,
        name="inspections-finding-create",
    ),
    path(
        "inspections/<int:round_id>/spot-checks/new/",
        v.spot_check_create,
        name="inspections-spot-check-create",
    ),
    path(
        "inspections/<int:round_id>/self-inspections/<int:unit_id>/",
        v.self_inspection,
        name="inspections-self-inspection",
    ),
    path(
        "campaigns/<int:campaign_id>/bulletins/",
        v.bulletin_list,
        name="inspections-bulletin-list",
    ),
    path("bulletins/<int:bulletin_id>/", v.bulletin_detail, name="inspections-bulletin-detail"),
    path("bulletins/<int:bulletin_id>/issue/", v.bulletin_issue, name="inspections-bulletin-issue"),
    path("bulletins/<int:bulletin_id>/docx/", v.bulletin_docx, name="inspections-bulletin-docx"),
]
