from django import template
from django.utils.html import format_html, format_html_join

from core.images.pictures import picture_of

register = template.Library()


@register.simple_tag
def picture(image, *, alt="", sizes="100vw", width=None, eager=False, class_name=""):
    """`<picture>` for an ImageField's file: AVIF and WebP variants by width, the original as the
    fallback `<img>`, with width and height so the page does not shift when it arrives.

    `sizes` says how wide the image is drawn (the browser picks a variant from it); `width`, when
    given, is the drawn width in CSS pixels and the height follows the image's proportions.
    Images below the fold load lazily; pass eager=True for one the learner sees first.
    """
    if not image:
        return ""
    data = picture_of(image)
    attributes = {"alt": alt}
    if data.width and data.height:
        shown_width = int(width or data.width)
        attributes["width"] = shown_width
        attributes["height"] = round(data.height * shown_width / data.width)
    elif width:
        attributes["width"] = int(width)
    if not eager:
        attributes["loading"] = "lazy"
    attributes["decoding"] = "async"
    if class_name:
        attributes["class"] = class_name
    img = format_html(
        '<img src="{}"{}>',
        data.url,
        format_html_join("", ' {}="{}"', attributes.items()),
    )
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((mime, srcset, sizes) for mime, srcset in data.sources),
    )
    return format_html("<picture>{}{}</picture>", sources, img)
