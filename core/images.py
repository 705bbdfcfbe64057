"""Uploaded images: what is accepted, and the WebP and AVIF variants made from it.

An app with an image field (courses' covers, accounts' avatars) keeps the variants' metadata in a
JSON field beside it, named `<field>_variants`, and registers the field from its AppConfig.ready()
with `register_optimized_image`; core never imports the app. The metadata looks like

    {"source": "covers/intro.png", "recipe": "…", "width": 1600, "height": 900,
     "variants": [{"format": "avif", "width": 320, "height": 180, "name": "covers/variants/…"}, …]}

and is current only while `source` is the field's file name and `recipe` is RECIPE.
"""

import io
from dataclasses import dataclass
from functools import partial
from posixpath import basename, dirname
from posixpath import join as join_path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_save
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

VARIANT_WIDTHS = (320, 640, 1280)
# An avatar shows at 32-64 CSS pixels: 64 and 128 serve it at 1x and 2x, 320 a profile's big one.
AVATAR_WIDTHS = (64, 128, 320)
# Best first: a <picture> offers its sources in this order and the browser takes the first it
# can decode. AVIF at speed 8 encodes ~4x faster than the default for a few % more bytes.
ENCODINGS = {
    "avif": {"format": "AVIF", "mime": "image/avif", "options": {"quality": 60, "speed": 8}},
    "webp": {"format": "WEBP", "mime": "image/webp", "options": {"quality": 80, "method": 4}},
}
ENCODING_RECIPE = "avif-q60-s8;webp-q80-m4"


def recipe(widths=VARIANT_WIDTHS) -> str:
    """Names how variants are made; metadata made by another recipe is out of date."""
    return f"w{','.join(map(str, widths))};{ENCODING_RECIPE}"


RECIPE = recipe()
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "AVIF")
MAX_SIDE = 10_000


class UnreadableImage(Exception):
    """The stored file is not an image Pillow can decode: retrying will not help."""


def validate_image(file):
    """Refuses uploads that are not images (by their content, not their name), are damaged, or
    are too large in bytes or pixels. Decoding is bounded by those limits, checked first."""
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if file.size > max_bytes:
        raise ValidationError(
            "The file is %(size)s; the largest accepted is %(max)s.",
            code="too_large",
            params={"size": filesizeformat(file.size), "max": filesizeformat(max_bytes)},
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
            width, height = image.size
            image_format = image.format
    except Exception as exc:  # Pillow raises many types for "not an image I know"
        raise ValidationError(
            "The file is not an image we accept: upload a JPEG, PNG, WebP, GIF or AVIF picture.",
            code="not_an_image",
        ) from exc
    max_pixels = settings.IMAGE_UPLOAD_MAX_PIXELS
    if width * height > max_pixels or max(width, height) > MAX_SIDE:
        raise ValidationError(
            "The image is %(width)s by %(height)s pixels; the largest accepted is "
            "%(max)s megapixels and %(side)s pixels a side.",
            code="too_many_pixels",
            params={
                "width": width,
                "height": height,
                "max": max_pixels // 1_000_000,
                "side": MAX_SIDE,
            },
        )
    try:
        _decode(data)
    except UnreadableImage as exc:
        raise ValidationError(
            "The %(format)s image is damaged and cannot be read.",
            code="corrupt",
            params={"format": image_format},
        ) from exc


def _decode(data: bytes) -> Image.Image:
    """The first frame, upright, fully decoded (a truncated file fails here, not later)."""
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
            image.seek(0)
            upright = ImageOps.exif_transpose(image)
            upright.load()
    except Exception as exc:
        raise UnreadableImage(f"{type(exc).__name__}: {exc}") from exc
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    return upright.convert("RGBA" if has_alpha else "RGB")


def target_widths(width: int, widths=VARIANT_WIDTHS) -> list[int]:
    """The variant widths for a source this wide: never upscaled."""
    return sorted({min(target, width) for target in widths})


def variant_name(source: str, *, width: int, image_format: str) -> str:
    return join_path(dirname(source), "variants", f"{basename(source)}.{width}w.{image_format}")


def build_variants(*, storage, name: str, widths=VARIANT_WIDTHS) -> dict:
    """Writes the WebP and AVIF variants of `name` and returns their metadata.

    Idempotent: the variant names follow from the source's name, and an existing variant is
    replaced rather than saved beside under a new name. Reading from storage may raise OSError (a
    transient failure worth retrying); an undecodable file raises UnreadableImage.
    """
    with storage.open(name, "rb") as source:
        data = source.read()
    image = _decode(data)
    width, height = image.size
    variants = []
    for target in target_widths(width, widths):
        target_height = max(1, round(height * target / width))
        resized = (
            image
            if target == width
            else image.resize((target, target_height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        for image_format, encoding in ENCODINGS.items():
            buffer = io.BytesIO()
            resized.save(buffer, encoding["format"], **encoding["options"])
            name_for_variant = variant_name(name, width=target, image_format=image_format)
            if storage.exists(name_for_variant):
                storage.delete(name_for_variant)
            saved = storage.save(name_for_variant, ContentFile(buffer.getvalue()))
            variants.append(
                {
                    "format": image_format,
                    "width": target,
                    "height": target_height,
                    "name": saved,
                }
            )
    return {
        "source": name,
        "recipe": recipe(widths),
        "width": width,
        "height": height,
        "variants": variants,
    }


def is_current(metadata: dict, name: str, widths=VARIANT_WIDTHS) -> bool:
    """Whether `metadata` describes the file `name` as its recipe makes it (or failed to)."""
    return bool(
        metadata
        and metadata.get("source") == name
        and metadata.get("recipe") == recipe(widths)
        and (metadata.get("variants") or metadata.get("error"))
    )


def delete_variants(storage, metadata: dict, *, keep=frozenset()) -> None:
    for variant in metadata.get("variants") or ():
        if variant["name"] not in keep:
            storage.delete(variant["name"])


@dataclass(frozen=True)
class Picture:
    """What the {% picture %} tag needs to know about one image field's file."""

    url: str
    width: int | None
    height: int | None
    sources: tuple[tuple[str, str], ...]  # (mime type, srcset), best format first


def picture_of(image) -> Picture:
    """The <picture> data of an ImageField's file, from the metadata beside the field.

    Until the variants exist (the upload is being processed, or failed) it is the original alone.
    """
    metadata = getattr(image.instance, variants_field_name(image.field.name), None) or {}
    if metadata.get("source") != image.name:
        return Picture(url=image.url, width=None, height=None, sources=())
    storage = image.storage
    sources = []
    for image_format, encoding in ENCODINGS.items():
        srcset = ", ".join(
            f"{storage.url(variant['name'])} {variant['width']}w"
            for variant in metadata.get("variants") or ()
            if variant["format"] == image_format
        )
        if srcset:
            sources.append((encoding["mime"], srcset))
    return Picture(
        url=image.url,
        width=metadata.get("width"),
        height=metadata.get("height"),
        sources=tuple(sources),
    )


def thumbnail_url(image) -> str:
    """The smallest WebP variant's URL (every browser decodes WebP), for an image drawn small in a
    plain <img>; the original until the variants exist."""
    metadata = getattr(image.instance, variants_field_name(image.field.name), None) or {}
    webp = [v for v in metadata.get("variants") or () if v["format"] == "webp"]
    if metadata.get("source") != image.name or not webp:
        return image.url
    return image.storage.url(min(webp, key=lambda variant: variant["width"])["name"])


def variants_field_name(field_name: str) -> str:
    return f"{field_name}_variants"


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
