"""What an upload must be to be accepted as an image, and decoding it the one way every variant
is made from."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

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
        decode(data)
    except UnreadableImage as exc:
        raise ValidationError(
            "The %(format)s image is damaged and cannot be read.",
            code="corrupt",
            params={"format": image_format},
        ) from exc


def decode(data: bytes) -> Image.Image:
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
