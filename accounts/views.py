from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from accounts.forms import AvatarForm, LoginForm, PasswordChangeForm, SignupForm
from accounts.services import create_learner, set_avatar
from accounts.throttles import admit_signup
from core.http import client_ip
from core.throttle import describe_wait


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("courses:catalog")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        wait = admit_signup(ip=client_ip(request), email=request.POST.get("email", ""))
        if wait:
            form.add_error(None, f"Too many sign-up attempts. Try again in {describe_wait(wait)}.")
            response = render(request, "accounts/signup.html", {"form": form}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            user = create_learner(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
            # login() gives the new learner a fresh session key (no session fixation).
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("courses:catalog")
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def avatar(request):
    form = AvatarForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        set_avatar(user=request.user, upload=form.cleaned_data["avatar"])
        messages.success(request, "Your new avatar is in place.")
        return redirect("leaderboard:profile", username=request.user.username)
    return render(request, "accounts/avatar.html", {"form": form})


class ThrottledFormMixin:
    """A throttled attempt (the form's `retry_after`) answers 429 with Retry-After."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


class LoginView(ThrottledFormMixin, auth_views.LoginView):
    """Django's login view (safe `next=` redirects only, a fresh session key at login) with the
    throttled form: a throttled attempt answers 429 with Retry-After."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_redirect_url(self):
        # Only a path on this site: Django also accepts a relative "next" ("0", "x/y"), which
        # lands on a page that does not exist.
        url = super().get_redirect_url()
        return url if url.startswith("/") else ""


class PasswordChangeView(ThrottledFormMixin, auth_views.PasswordChangeView):
    """Django's view with the throttled form: a throttled attempt answers 429 with Retry-After."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_changed")
