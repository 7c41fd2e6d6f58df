"""Pages of benchmarks (对照标杆): a campaign's list, and one benchmark's gap per indicator with
its trend, values and the measures adopted to close the gap."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ducha.assessment.scoring import assessed_units
from ducha.benchmarks import selectors, services, tables
from ducha.benchmarks.models import BenchmarkMeasure
from ducha.orgs import access
from ducha.web.forms import add_service_error
from ducha.web.forms_benchmarks import (
    BenchmarkEditForm,
    BenchmarkForm,
    MeasureForm,
    PeriodForm,
    ValueForm,
    ValueImportForm,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def benchmark_list(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    participants = assessed_units(campaign)
    units = [u for u in participants if access.may_benchmark(user, campaign, u)]
    form = None
    if units:
        form = BenchmarkForm(
            request.POST or None, campaign=campaign, units=units, participants=participants
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                benchmark = services.benchmark_create(
                    actor=user, campaign=campaign, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The benchmark was added."))
                return redirect("benchmarks-detail", benchmark.pk)
    return render(
        request,
        "web/benchmarks/list.html",
        {
            "campaign": campaign,
            "benchmarks": selectors.benchmark_list(user, campaign),
            "form": form,
        },
    )


def _current_period() -> str:
    return timezone.localdate().strftime("%Y-%m")


def _page_period(request) -> str:
    period = request.GET.get("period", "")
    return period if PeriodForm({"period": period}).is_valid() else _current_period()


def _detail_url(benchmark, period: str) -> str:
    return f"{reverse('benchmarks-detail', args=[benchmark.pk])}?period={period}"


def _detail(request, benchmark, **forms):
    """The benchmark page; a form given in `forms` (bound, with errors) replaces the blank one."""
    user = request.user
    period_form = PeriodForm(
        request.GET if "period" in request.GET else {"period": _current_period()}
    )
    comparison, error = None, None
    if period_form.is_valid():
        try:
            comparison = selectors.benchmark_comparison(
                benchmark=benchmark, period=period_form.cleaned_data["period"], user=user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    period = comparison.period if comparison else _page_period(request)
    can_write = access.may_benchmark(user, benchmark.campaign, benchmark.unit)
    context = {
        "benchmark": benchmark,
        "campaign": benchmark.campaign,
        "indicators": list(benchmark.indicators.all()),
        "period": period,
        "period_form": period_form,
        "comparison": comparison,
        "chart_data": selectors.chart_data(comparison) if comparison else None,
        "error": error,
        "measures": benchmark.measures.select_related("indicator"),
        "can_write": can_write,
        "edit_form": None,
        "value_form": None,
        "import_form": None,
        "measure_form": None,
    }
    if can_write:
        context["edit_form"] = forms.get("edit_form") or BenchmarkEditForm(benchmark=benchmark)
    if can_write and benchmark.is_active:
        context["value_form"] = forms.get("value_form") or ValueForm(
            benchmark=benchmark, initial={"period": period}
        )
        context["import_form"] = forms.get("import_form") or ValueImportForm()
        context["measure_form"] = forms.get("measure_form") or MeasureForm(benchmark=benchmark)
    return render(request, "web/benchmarks/detail.html", context)


@login_required
@require_GET
def benchmark_detail(request, benchmark_id):
    benchmark = access.get_benchmark_for_user(request.user, benchmark_id)
    return _detail(request, benchmark)


@login_required
@require_POST
def benchmark_edit(request, benchmark_id):
    user = request.user
    benchmark = access.get_benchmark_for_user(user, benchmark_id, write=True)
    form = BenchmarkEditForm(request.POST, benchmark=benchmark)
    if form.is_valid():
        try:
            services.benchmark_update(actor=user, benchmark=benchmark, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The benchmark was saved."))
            return redirect(_detail_url(benchmark, _page_period(request)))
    return _detail(request, benchmark, edit_form=form)


@login_required
@require_POST
def benchmark_active_set(request, benchmark_id):
    user = request.user
    benchmark = access.get_benchmark_for_user(user, benchmark_id, write=True)
    active = request.POST.get("active") == "1"
    services.benchmark_set_active(actor=user, benchmark=benchmark, active=active)
    if active:
        messages.success(request, _("The benchmark is followed again."))
    else:
        messages.success(request, _("The benchmark is no longer followed."))
    return redirect(_detail_url(benchmark, _page_period(request)))


def _write_refused(request, benchmark, error: ValidationError, form, name: str):
    add_service_error(form, error)
    return _detail(request, benchmark, **{name: form})


@login_required
@require_POST
def value_set(request, benchmark_id):
    user = request.user
    benchmark = access.get_benchmark_for_user(user, benchmark_id, write=True)
    form = ValueForm(request.POST, benchmark=benchmark)
    if form.is_valid():
        try:
            value = services.benchmark_value_set(
                actor=user, benchmark=benchmark, **form.cleaned_data
            )
        except ValidationError as error:
            return _write_refused(request, benchmark, error, form, "value_form")
        messages.success(request, _("The value was saved."))
        return redirect(_detail_url(benchmark, value.period))
    return _detail(request, benchmark, value_form=form)


@login_required
@require_POST
def values_import(request, benchmark_id):
    user = request.user
    benchmark = access.get_benchmark_for_user(user, benchmark_id, write=True)
    form = ValueImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = services.benchmark_values_import(
                actor=user, benchmark=benchmark, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            return _write_refused(request, benchmark, error, form, "import_form")
        messages.success(request, _("%(n)s values were imported.") % {"n": count})
        return redirect(_detail_url(benchmark, _page_period(request)))
    return _detail(request, benchmark, import_form=form)


@login_required
@require_GET
def values_template(request, benchmark_id):
    benchmark = access.get_benchmark_for_user(request.user, benchmark_id)
    return FileResponse(
        tables.template_workbook(benchmark),
        as_attachment=True,
        filename=f"标杆数值-{benchmark.name}.xlsx",
        content_type=XLSX,
    )


@login_required
@require_POST
def measure_create(request, benchmark_id):
    user = request.user
    benchmark = access.get_benchmark_for_user(user, benchmark_id, write=True)
    form = MeasureForm(request.POST, benchmark=benchmark)
    if form.is_valid():
        try:
            services.benchmark_measure_create(actor=user, benchmark=benchmark, **form.cleaned_data)
        except ValidationError as error:
            return _write_refused(request, benchmark, error, form, "measure_form")
        messages.success(request, _("The measure was added."))
        return redirect(_detail_url(benchmark, _page_period(request)))
    return _detail(request, benchmark, measure_form=form)


@login_required
@require_POST
def measure_done(request, benchmark_id, measure_id):
    user = request.user
    benchmark = access.get_benchmark_for_user(user, benchmark_id, write=True)
    try:
        measure = benchmark.measures.get(pk=measure_id)
    except BenchmarkMeasure.DoesNotExist:
        raise Http404 from None
    services.benchmark_measure_done(actor=user, measure=measure)
    messages.success(request, _("The measure is marked done."))
    return redirect(_detail_url(benchmark, _page_period(request)))
