"""The campaign dashboard and its grid export."""

from django.urls import path

from .views import dashboard

urlpatterns = [
    path(
        "campaigns/<int:campaign_id>/dashboard/",
        dashboard.campaign_dashboard,
        name="dashboard-campaign",
    ),
    path(
        "campaigns/<int:campaign_id>/dashboard/grid.xlsx",
        dashboard.grid_export,
        name="dashboard-grid-export",
    ),
]
