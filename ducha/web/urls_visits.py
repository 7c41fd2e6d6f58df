from django.urls import path

from .views import visits as v
from .views import visits_setup as s

urlpatterns = [
    path("visits/", v.visit_list, name="visits-visit-list"),
    path("visits/new/", v.visit_create, name="visits-visit-create"),
    path("visits/<int:visit_id>/", v.visit_detail, name="visits-visit-detail"),
    path("visits/<int:visit_id>/delete/", v.visit_delete, name="visits-visit-delete"),
    path("visits/photos/<int:photo_id>/<str:variant>/", v.photo, name="visits-photo"),
    path("visits/contacts/", s.contact_list, name="visits-contact-list"),
    path("visits/contacts/new/", s.contact_create, name="visits-contact-create"),
    path("visits/contacts/import/", s.contact_import, name="visits-contact-import"),
    path(
        "visits/contacts/<int:assignment_id>/delete/",
        s.contact_delete,
        name="visits-contact-delete",
    ),
    path(
        "visits/contacts/person/<int:person_id>/",
        s.person_contacts,
        name="visits-person-contacts",
    ),
    path("visits/contacts/place/<int:place_id>/", s.place_contacts, name="visits-place-contacts"),
    path("visits/checklists/", s.checklist_list, name="visits-checklist-list"),
    path(
        "visits/checklists/<int:template_id>/delete/",
        s.checklist_delete,
        name="visits-checklist-delete",
    ),
    path("visits/quotas/", s.quota_list, name="visits-quota-list"),
    path("visits/quotas/<int:quota_id>/edit/", s.quota_update, name="visits-quota-update"),
    path("visits/quotas/<int:quota_id>/delete/", s.quota_delete, name="visits-quota-delete"),
    path("visits/dashboard/", s.quota_dashboard, name="visits-quota-dashboard"),
    path("visits/study/", v.study_list, name="visits-study-list"),
    path("visits/study/<int:record_id>/delete/", v.study_delete, name="visits-study-delete"),
    path("visits/report/", v.report_edit, name="visits-report-edit"),
    path("visits/ledger/export/", v.ledger_export, name="visits-ledger-export"),
    path("visits/ledger/import/", v.ledger_import, name="visits-ledger-import"),
    path("visits/ledger/template/", v.ledger_template, name="visits-ledger-template"),
]
