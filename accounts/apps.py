from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts import personal  # noqa: F401  (the header's fragments)
        from accounts.backends import changed
        from accounts.models import User
        from accounts.tasks import optimize_avatar
        from core.images.registry import register_optimized_image
        from core.images.variants import AVATAR_WIDTHS

        register_optimized_image(
            model=User, field_name="avatar", task=optimize_avatar, widths=AVATAR_WIDTHS
        )

        def row_changed(sender, instance, **kwargs):
            changed(instance.pk)

        post_save.connect(
            row_changed, sender=User, weak=False, dispatch_uid="accounts.user_row_changed"
        )
        post_delete.connect(
            row_changed, sender=User, weak=False, dispatch_uid="accounts.user_row_deleted"
        )
