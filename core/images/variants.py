"""The WebP and AVIF variants of an uploaded image, and the metadata that describes them.

An app with an image field keeps the variants' metadata in a JSON field beside it, named
`<field>_variants` (see core.images.registry). The metadata looks like

    {"source": "covers/intro.png", "recipe": "…", "width": 1600, "height": 900,
     "variants": [{"format": "avif", "width": 320, "height": 180, "name": "covers/variants/…"}, …]}

and is current only while `source` is the field's file name and `recipe` is RECIPE.
"""

import io
from posixpath import basename, dirname
from posixpath import join as join_path

from django.core.files.base import ContentFile
from PIL import Image

from core.images.validation import decode

VARIANT_WIDTHS = (320, 640, 1280)
# An avatar shows at 32-64 CSS pixels: 64 and 128 serve it at 1x and 2x, 320 a profile's big one.
AVATAR_WIDTHS = (64, 128, 320)
# Best first: a <picture> offers its sources in this order and the browser takes the first it
# can decode. AVIF at speed 8: far quicker to encode than the default, for slightly more bytes.
ENCODINGS = {
    "avif": {"format": "AVIF", "mime": "image/avif", "options": {"quality": 60, "speed": 8}},
    "webp": {"format": "WEBP", "mime": "image/webp", "options": {"quality": 80, "method": 4}},
}
ENCODING_RECIPE = "avif-q60-s8;webp-q80-m4"


def recipe(widths=VARIANT_WIDTHS) -> str:
    """Names how variants are made; metadata made by another recipe is out of date."""
    return f"w{','.join(map(str, widths))};{ENCODING_RECIPE}"


RECIPE = recipe()


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
    image = decode(data)
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


def variants_field_name(field_name: str) -> str:
    return f"{field_name}_variants"
