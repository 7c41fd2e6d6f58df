from django.urls import path

from .views import plans as v

urlpatterns = [
    path("plans/import/", v.plan_import, name="plans-import"),
    path("plans/import/<slug:token>/", v.plan_import_review, name="plans-import-review"),
]
