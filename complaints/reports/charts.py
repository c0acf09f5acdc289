"""Server-side SVG charts for the weekly report: no JavaScript, no CDN. Pure functions."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.html import escape

BAR = "#0b5cad"
LINE = "#b3261e"
MUTED = "#57606a"
GRID = "#d0d7de"


def _text(x, y, value, anchor="middle", size=11, fill=MUTED, extra=""):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}"{extra}>'
        f"{escape(value)}</text>"
    )


def pareto_svg(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str,
    count_label: str,
    cumulative_label: str,
    width: int = 640,
    height: int = 300,
) -> str:
    """Bars of counts (largest first) with the cumulative share as a line on a 0-100 % axis.

    `rows` are dicts with "label", "count" and "cumulative_share".
    """
    left, right, top, bottom = 40, 44, 24, 80
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((r["count"] for r in rows), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-pareto" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="pareto-title">',
        f'<title id="pareto-title">{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{GRID}"/>',
    ]
    for share in (0, 50, 100):
        y = top + plot_h - plot_h * share / 100
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}" '
            'stroke-dasharray="2 3"/>'
        )
        parts.append(_text(left + plot_w + 4, y + 4, f"{share}%", anchor="start", fill=LINE))
    parts.append(_text(left - 6, top + 4, str(peak), anchor="end"))
    parts.append(_text(left - 6, top + plot_h, "0", anchor="end"))
    if rows:
        slot = plot_w / len(rows)
        points = []
        for i, row in enumerate(rows):
            bar_h = plot_h * row["count"] / peak
            x = left + i * slot + slot * 0.15
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{bar_h:.1f}" fill="{BAR}">'
                f"<title>{escape(row['label'])}: {row['count']}</title></rect>"
            )
            parts.append(_text(x + slot * 0.35, top + plot_h - bar_h - 4, str(row["count"]), fill=BAR))
            cx = left + i * slot + slot / 2
            cy = top + plot_h - plot_h * (row["cumulative_share"] or 0) / 100
            points.append(f"{cx:.1f},{cy:.1f}")
            label = row["label"] if len(row["label"]) <= 14 else row["label"][:13] + "…"
            parts.append(
                _text(
                    cx,
                    top + plot_h + 14,
                    label,
                    anchor="end",
                    extra=f' transform="rotate(-30 {cx:.1f} {top + plot_h + 14:.1f})"',
                )
            )
        parts.append(
            f'<polyline class="cumulative" points="{" ".join(points)}" fill="none" stroke="{LINE}" '
            'stroke-width="2"/>'
        )
        for point in points:
            px, py = point.split(",")
            parts.append(f'<circle cx="{px}" cy="{py}" r="3" fill="{LINE}"/>')
    parts.append(_text(left, height - 6, f"■ {count_label}", anchor="start", fill=BAR))
    parts.append(_text(left + 160, height - 6, f"● {cumulative_label}", anchor="start", fill=LINE))
    parts.append("</svg>")
    return "".join(parts)


def trend_svg(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str,
    received_label: str,
    closed_label: str,
    width: int = 640,
    height: int = 220,
) -> str:
    """Two lines over the weeks: complaints received and closed. `rows`: week, received, closed."""
    left, right, top, bottom = 40, 40, 20, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([r["received"] for r in rows] + [r["closed"] for r in rows] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-trend" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="trend-title">',
        f'<title id="trend-title">{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{GRID}"/>',
        _text(left - 6, top + 4, str(peak), anchor="end"),
        _text(left - 6, top + plot_h, "0", anchor="end"),
    ]
    step = plot_w / max(len(rows) - 1, 1)
    for key, colour in (("received", BAR), ("closed", LINE)):
        points = []
        for i, row in enumerate(rows):
            x = left + i * step
            y = top + plot_h - plot_h * row[key] / peak
            points.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>{escape(row["week"])}: '
                f"{row[key]}</title></circle>"
            )
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
    for i, row in enumerate(rows):
        parts.append(_text(left + i * step, top + plot_h + 16, row["week"]))
    parts.append(_text(left, height - 4, f"● {received_label}", anchor="start", fill=BAR))
    parts.append(_text(left + 160, height - 4, f"● {closed_label}", anchor="start", fill=LINE))
    parts.append("</svg>")
    return "".join(parts)
