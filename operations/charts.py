"""Small line charts as inline SVG, drawn on the server: no charting library, nothing to load,
and the page reads the same without JavaScript."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, PAD = 240, 48, 3


def sparkline(values, *, label, budget=None, ceiling=None):
    """`values` oldest first, None where nothing was measured (a gap in the line). `budget`
    draws a dashed line at that value; `ceiling` fixes the top (e.g. 100 for a percentage)."""
    known = [value for value in values if value is not None]
    if not known:
        return format_html(
            '<svg class="spark" viewBox="0 0 {} {}" role="img" aria-label="{}: no data">'
            '<text x="4" y="{}" class="spark-empty">no data</text></svg>',
            WIDTH,
            HEIGHT,
            label,
            HEIGHT // 2 + 4,
        )
    top = ceiling or max(max(known), budget or 0) or 1
    step = WIDTH / max(len(values) - 1, 1)

    def y(value):
        return HEIGHT - PAD - (min(value, top) / top) * (HEIGHT - 2 * PAD)

    lines, current = [], []
    for index, value in enumerate(values):
        if value is None:
            if current:
                lines.append(current)
            current = []
        else:
            current.append(f"{index * step:.1f},{y(value):.1f}")
    if current:
        lines.append(current)
    paths = format_html_join(
        "",
        '<polyline class="{}" points="{}"/>',
        (("spark-line" if len(line) > 1 else "spark-dot", " ".join(line)) for line in lines),
    )
    extra = ""
    if budget is not None:
        extra = format_html(
            '<line class="spark-budget" x1="0" x2="{}" y1="{}" y2="{}"/>',
            WIDTH,
            f"{y(budget):.1f}",
            f"{y(budget):.1f}",
        )
    return format_html(
        '<svg class="spark" viewBox="0 0 {} {}" preserveAspectRatio="none" role="img" '
        'aria-label="{}, the last hour">{}{}</svg>',
        WIDTH,
        HEIGHT,
        label,
        mark_safe(extra),
        paths,
    )
