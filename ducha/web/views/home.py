from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ducha.orgs import access, selectors


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "web/home.html",
        {
            "roots": access.scope_roots(user),
            "grants": selectors.grants_for_user(user),
            "counts": selectors.scope_counts(user),
        },
    )
