from django.urls import include, path

from .views import auth, home

urlpatterns = [
    path("", home.home, name="web-home"),
    path("login/", auth.LoginView.as_view(), name="web-login"),
    path("logout/", auth.logout_view, name="web-logout"),
    path("password/", auth.PasswordChangeView.as_view(), name="web-password-change"),
    path("", include("ducha.web.urls_orgs")),
    path("", include("ducha.web.urls_accounts")),
    path("", include("ducha.web.urls_ledgers")),
    path("", include("ducha.web.urls_campaigns")),
    path("", include("ducha.web.urls_plans")),
    path("", include("ducha.web.urls_submissions")),
    path("", include("ducha.web.urls_notify")),
    path("", include("ducha.web.urls_dashboard")),
    path("", include("ducha.web.urls_problems")),
    path("", include("ducha.web.urls_surveys")),
    path("", include("ducha.web.urls_visits")),
    path("", include("ducha.web.urls_inspections")),
    path("", include("ducha.web.urls_assessment")),
    path("", include("ducha.web.urls_appeals")),
    path("", include("ducha.web.urls_benchmarks")),
]
