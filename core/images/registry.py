"""The image fields whose uploads get variants, registered by the apps that own them (core never
imports an app): each saved upload reaches its app's Celery task once the save commits."""

from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models.signals import post_save

from core.images.variants import VARIANT_WIDTHS, variants_field_name


@dataclass(frozen=True)
class OptimizedImage:
    """An image field whose uploads get variants, and the owning app's Celery task for one row."""

    model: type
    field_name: str
    task: object  # called as task.delay(pk) / task.apply(args=[pk], kwargs={"force": …})
    widths: tuple = VARIANT_WIDTHS

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field_name}"

    @property
    def variants_field_name(self) -> str:
        return variants_field_name(self.field_name)


_registered: list[OptimizedImage] = []


def register_optimized_image(*, model, field_name: str, task, widths=VARIANT_WIDTHS) -> None:
    """Makes every saved upload of `model.field_name` reach `task` once the save commits.

    Called by the app that owns the model, from its AppConfig.ready().
    """
    optimized = OptimizedImage(model=model, field_name=field_name, task=task, widths=widths)
    if any(known.label == optimized.label for known in _registered):
        return
    _registered.append(optimized)
    post_save.connect(
        partial(_enqueue_if_changed, optimized=optimized),
        sender=model,
        weak=False,
        dispatch_uid=f"optimize-image-{optimized.label}",
    )


def registered_images() -> tuple[OptimizedImage, ...]:
    return tuple(_registered)


def widths_for(model, field_name: str) -> tuple:
    for known in _registered:
        if known.model is model and known.field_name == field_name:
            return known.widths
    return VARIANT_WIDTHS


def _enqueue_if_changed(sender, instance, update_fields=None, *, optimized, **kwargs):
    if update_fields is not None and optimized.field_name not in update_fields:
        return
    name = getattr(instance, optimized.field_name).name or ""
    metadata = getattr(instance, optimized.variants_field_name) or {}
    if metadata.get("source", "") == name:
        return
    # robust: a broker that is down must not fail the upload; optimize_assets catches up later.
    transaction.on_commit(partial(optimized.task.delay, instance.pk), robust=True)
