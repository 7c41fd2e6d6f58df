"""The upload form of the ledger import page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ducha.orgs.ledgers.readers import size_text


class LedgerImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx workbook (or a .csv file) with the header row of the template, "
            "at most %(size)s."
        ) % {"size": size_text(settings.IMPORT_MAX_BYTES)}
