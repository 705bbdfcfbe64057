from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from accounts import throttles
from accounts.models import User
from core.http import client_ip
from core.images.validation import validate_image
from core.throttle import describe_wait

# Longer than any passphrase anyone types; stops a megabyte "password" before it is hashed.
PASSWORD_MAX_LENGTH = 1024


def _limit_password_fields(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.PasswordInput):
            field.max_length = PASSWORD_MAX_LENGTH
            field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
            field.widget.attrs["maxlength"] = str(PASSWORD_MAX_LENGTH)


class SignupForm(UserCreationForm):
    email = forms.EmailField(max_length=254)

    class Meta:
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_password_fields(self)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.live().filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists.")
        return email


def _refuse_if_throttled(form, wait: int):
    """A throttled form refuses without checking the password, saying how long to wait; its
    view answers 429 with that as Retry-After (accounts.views.ThrottledFormMixin)."""
    if wait:
        form.retry_after = wait
        raise ValidationError(
            form.error_messages["throttled"], code="throttled", params={"wait": describe_wait(wait)}
        )


class ThrottledLoginMixin:
    """A login form, throttled: past the limit it refuses without checking the password, so
    guessing stops paying, and says how long to wait (`retry_after`, in seconds)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed log-in attempts. For your safety, try again in %(wait)s.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        _limit_password_fields(self)
        self.retry_after = 0

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()
        ip = client_ip(self.request) if self.request is not None else ""
        _refuse_if_throttled(self, throttles.login_wait(ip=ip, username=username))
        try:
            cleaned_data = super().clean()
        except ValidationError:
            throttles.record_login_failure(ip=ip, username=username)
            raise
        throttles.record_login_success(username=username)
        return cleaned_data


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    # The admin's own wording for a bad login, which also says the account must be staff.
    error_messages = {
        **ThrottledLoginMixin.error_messages,
        **AdminAuthenticationForm.error_messages,
    }


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form, throttled like a login: a wrong current password counts against the
    account's budget of failed logins, so a borrowed session cannot guess it at leisure."""

    error_messages = {
        **DjangoPasswordChangeForm.error_messages,
        "throttled": ThrottledLoginMixin.error_messages["throttled"],
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_password_fields(self)
        self.retry_after = 0

    def clean_old_password(self):
        username = self.user.get_username()
        _refuse_if_throttled(self, throttles.password_check_wait(username=username))
        try:
            return super().clean_old_password()
        except ValidationError:
            throttles.record_password_check_failure(username=username)
            raise


class AvatarForm(forms.Form):
    avatar = forms.ImageField(
        validators=[validate_image],
        help_text=(
            "A JPEG, PNG, WebP, GIF or AVIF picture of up to "
            f"{settings.IMAGE_UPLOAD_MAX_BYTES // 1_048_576} MB; square works best."
        ),
    )
