from django.urls import path

from .views import benchmarks as v

urlpatterns = [
    path(
        "campaigns/<int:campaign_id>/benchmarks/",
        v.benchmark_list,
        name="benchmarks-list",
    ),
    path("benchmarks/<int:benchmark_id>/", v.benchmark_detail, name="benchmarks-detail"),
    path("benchmarks/<int:benchmark_id>/edit/", v.benchmark_edit, name="benchmarks-edit"),
    path(
        "benchmarks/<int:benchmark_id>/active/",
        v.benchmark_active_set,
        name="benchmarks-active-set",
    ),
    path("benchmarks/<int:benchmark_id>/values/", v.value_set, name="benchmarks-value-set"),
    path(
        "benchmarks/<int:benchmark_id>/values/import/",
        v.values_import,
        name="benchmarks-import",
    ),
    path(
        "benchmarks/<int:benchmark_id>/values/template.xlsx",
        v.values_template,
        name="benchmarks-template",
    ),
    path(
        "benchmarks/<int:benchmark_id>/measures/",
        v.measure_create,
        name="benchmarks-measure-create",
    ),
    path(
        "benchmarks/<int:benchmark_id>/measures/<int:measure_id>/done/",
        v.measure_done,
        name="benchmarks-measure-done",
    ),
]
