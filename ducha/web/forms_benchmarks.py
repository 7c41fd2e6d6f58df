"""Forms of the benchmark pages; the rules live in ducha.benchmarks.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.assessment.models import Indicator
from ducha.benchmarks.models import Benchmark, BenchmarkMeasure, BenchmarkValue
from ducha.orgs.models import OrgUnit

MONTH_REGEX = r"^\d{4}-(0[1-9]|1[0-2])$"


def _month_field(**kwargs) -> forms.RegexField:
    return forms.RegexField(
        label=_("Month"),
        regex=MONTH_REGEX,
        error_messages={"invalid": _("Give the month as YYYY-MM.")},
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2024-03"}),
        **kwargs,
    )


class PeriodForm(forms.Form):
    period = _month_field()


class IndicatorsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Indicator) -> str:
        return obj.content


class BenchmarkForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit that benchmarks itself"), queryset=OrgUnit.objects.none()
    )
    kind = forms.ChoiceField(
        label=_("Kind of benchmark"), choices=Benchmark.Kind.choices, widget=forms.RadioSelect
    )
    benchmark_unit = forms.ModelChoiceField(
        label=_("Benchmark unit in Ducha"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("For a unit in Ducha: another unit of this campaign."),
    )
    name = forms.CharField(
        label=_("Name of the outside unit or region"),
        max_length=Benchmark._meta.get_field("name").max_length,
        required=False,
        help_text=_("For an outside benchmark, e.g. a leading county, hospital or province."),
    )
    note = forms.CharField(
        label=_("Why this benchmark"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    indicators = IndicatorsField(
        label=_("Indicators to compare on"), queryset=Indicator.objects.none()
    )

    def __init__(self, *args, campaign, units, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units])
        self.fields["benchmark_unit"].queryset = OrgUnit.objects.filter(
            pk__in=[u.pk for u in participants]
        )
        self.fields["indicators"].queryset = campaign.indicators.all()
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        self.fields["kind"].initial = Benchmark.Kind.OUTSIDE


class BenchmarkEditForm(forms.Form):
    indicators = IndicatorsField(
        label=_("Indicators to compare on"), queryset=Indicator.objects.none()
    )
    note = forms.CharField(
        label=_("Why this benchmark"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, benchmark, **kwargs):
        # The benchmark page holds several forms: distinct ids, the same field names.
        kwargs.setdefault("auto_id", "edit-%s")
        kwargs.setdefault(
            "initial",
            {"indicators": list(benchmark.indicators.all()), "note": benchmark.note},
        )
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = benchmark.campaign.indicators.all()


class BenchmarkIndicatorField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return obj.content


class ValueForm(forms.Form):
    indicator = BenchmarkIndicatorField(label=_("Indicator"), queryset=Indicator.objects.none())
    period = _month_field()
    value = forms.DecimalField(
        label=_("Benchmark value (0–100)"), min_value=0, max_value=100, decimal_places=2
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=BenchmarkValue._meta.get_field("source").max_length,
        help_text=_("Where it was published, e.g. 浙江省卫生健康委2024年3月通报."),
    )

    def __init__(self, *args, benchmark, **kwargs):
        kwargs.setdefault("auto_id", "value-%s")
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = benchmark.indicators.all()


class ValueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Table (.xlsx)"),
        help_text=_(
            "Columns 指标 (order number or content), 月份 (YYYY-MM), 数值, 来源; a header row first."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "import-%s")
        super().__init__(*args, **kwargs)


class MeasureForm(forms.Form):
    text = forms.CharField(
        label=_("Measure"),
        max_length=BenchmarkMeasure._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    indicator = BenchmarkIndicatorField(
        label=_("Indicator"), queryset=Indicator.objects.none(), required=False
    )
    responsible_person = forms.CharField(
        label=_("Responsible person"),
        max_length=BenchmarkMeasure._meta.get_field("responsible_person").max_length,
    )
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, benchmark, **kwargs):
        kwargs.setdefault("auto_id", "measure-%s")
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = benchmark.indicators.all()
