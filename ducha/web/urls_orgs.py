from django.urls import path

from .views import orgs, people, places

urlpatterns = [
    path("units/", orgs.unit_list, name="orgs-unit-list"),
    path("units/<int:unit_id>/", orgs.unit_detail, name="orgs-unit-detail"),
    path("units/<int:unit_id>/children/", orgs.unit_children, name="orgs-unit-children"),
    path("units/<int:unit_id>/new/", orgs.unit_create, name="orgs-unit-create"),
    path("units/<int:unit_id>/edit/", orgs.unit_update, name="orgs-unit-update"),
    path("units/<int:unit_id>/move/", orgs.unit_move, name="orgs-unit-move"),
    path("units/<int:unit_id>/delete/", orgs.unit_delete, name="orgs-unit-delete"),
    path("people/", people.person_list, name="orgs-person-list"),
    path("people/new/", people.person_create, name="orgs-person-create"),
    path("people/<int:person_id>/", people.person_detail, name="orgs-person-detail"),
    path("people/<int:person_id>/edit/", people.person_update, name="orgs-person-update"),
    path("people/<int:person_id>/delete/", people.person_delete, name="orgs-person-delete"),
    path("places/", places.place_list, name="orgs-place-list"),
    path("places/new/", places.place_create, name="orgs-place-create"),
    path("places/<int:place_id>/", places.place_detail, name="orgs-place-detail"),
    path("places/<int:place_id>/edit/", places.place_update, name="orgs-place-update"),
    path("places/<int:place_id>/delete/", places.place_delete, name="orgs-place-delete"),
]
