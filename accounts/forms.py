from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm

from accounts.models import User
from core.images import validate_image


class SignupForm(UserCreationForm):
    email = forms.EmailField(max_length=254)

    class Meta:
        model = User
        fields = ("username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.live().filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists.")
        return email


class AvatarForm(forms.Form):
    avatar = forms.ImageField(
        validators=[validate_image],
        help_text=(
            "A JPEG, PNG, WebP, GIF or AVIF picture of up to "
            f"{settings.IMAGE_UPLOAD_MAX_BYTES // 1_048_576} MB; square works best."
        ),
    )
