"""Ledger pages: /ledgers/ and, for each of units, people and places, template, export, import."""

from django.urls import path

from .views import ledgers

urlpatterns = [
    path("ledgers/", ledgers.ledger_index, name="ledgers-index"),
    path("ledgers/<str:kind>/template.xlsx", ledgers.ledger_template, name="ledgers-template"),
    path("ledgers/<str:kind>/export.xlsx", ledgers.ledger_export, name="ledgers-export"),
    path("ledgers/<str:kind>/import/", ledgers.ledger_import, name="ledgers-import"),
]
