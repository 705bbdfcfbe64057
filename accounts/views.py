from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import AvatarForm, SignupForm
from accounts.services import create_learner, set_avatar


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("courses:catalog")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = create_learner(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("courses:catalog")
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def avatar(request):
    form = AvatarForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        set_avatar(user=request.user, upload=form.cleaned_data["avatar"])
        messages.success(request, "Your new avatar is in place.")
        return redirect("leaderboard:profile", username=request.user.username)
    return render(request, "accounts/avatar.html", {"form": form})
