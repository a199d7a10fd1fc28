from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from fairhearing.accounts import views
from fairhearing.accounts.middleware import two_factor_not_required

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        login_not_required(auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", two_factor_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/staff/", views.two_factor_staff, name="two_factor_staff"),
    path("two-factor/staff/<uuid:user_id>/reset/", views.two_factor_reset, name="two_factor_reset"),
]
