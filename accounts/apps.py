from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts.models import User
        from accounts.tasks import optimize_avatar
        from core.images.registry import register_optimized_image
        from core.images.variants import AVATAR_WIDTHS

        register_optimized_image(
            model=User, field_name="avatar", task=optimize_avatar, widths=AVATAR_WIDTHS
        )
