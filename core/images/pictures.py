"""What a page needs to show an image field's file: the {% picture %} tag's sources, or the
smallest variant for an image drawn small."""

from dataclasses import dataclass

from core.images.variants import ENCODINGS, variants_field_name


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
