import logging

from core.images.registry import widths_for
from core.images.validation import UnreadableImage
from core.images.variants import (
    build_variants,
    delete_variants,
    is_current,
    recipe,
    variants_field_name,
)
from core.signals import image_variants_written

logger = logging.getLogger(__name__)

MADE, FRESH, FAILED, CLEARED, SUPERSEDED, MISSING = (
    "made",
    "fresh",
    "failed",
    "cleared",
    "superseded",
    "missing",
)


def optimize_image_field(*, model, pk, field_name: str, force: bool = False) -> str:
    """Brings the variants of one row's image up to date; returns what happened (MADE, FRESH, …).

    Safe to run twice and to race with a new upload: the metadata is written only while the row
    still holds the file it describes, and variants that lost that race are deleted. A file that
    cannot be decoded is logged and recorded as failed (retrying would not help); storage errors
    (OSError) propagate so that the task retries.
    """
    variants_field = variants_field_name(field_name)
    rows = model._default_manager.filter(pk=pk)
    row = rows.values(field_name, variants_field).first()
    if row is None:
        return MISSING
    name, previous = row[field_name] or "", row[variants_field] or {}
    storage = model._meta.get_field(field_name).storage
    if not name:
        if previous and rows.filter(**{field_name: ""}).update(**{variants_field: {}}):
            delete_variants(storage, previous)
        return CLEARED
    widths = widths_for(model, field_name)
    if not force and is_current(previous, name, widths):
        return FRESH

    try:
        metadata = build_variants(storage=storage, name=name, widths=widths)
        outcome = MADE
    except (UnreadableImage, FileNotFoundError) as exc:
        logger.error("No variants for %s %s (%s): %s", model._meta.label, pk, name, exc)
        metadata = {"source": name, "recipe": recipe(widths), "error": str(exc)}
        outcome = FAILED

    if not rows.filter(**{field_name: name}).update(**{variants_field: metadata}):
        delete_variants(storage, metadata)
        return SUPERSEDED
    delete_variants(storage, previous, keep={v["name"] for v in metadata.get("variants") or ()})
    # Pages cached with the original must now show the variants: their apps retire them.
    image_variants_written.send(sender=model, pk=pk, field_name=field_name)
    return outcome
