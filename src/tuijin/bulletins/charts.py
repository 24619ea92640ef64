"""Chart images for bulletins (matplotlib, Agg, no pyplot): Chinese text in the vendored OFL font.

The font (Noto Sans SC, subset to GB 2312, SIL OFL 1.1; ``fonts/VERSIONS`` says how it was made by
``scripts/vendor_font.sh``) is registered by path with ``fontManager.addfont``: matplotlib's font
cache goes stale after system font installs, and a fresh machine may have no CJK font at all.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

matplotlib.use("Agg")

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Regular-subset.ttf"
RED, GREEN, AMBER, GREY = "#b3261e", "#2e7d32", "#f0a04b", "#6c757d"
DPI = 200

_lock = threading.Lock()
_family: list[str] = []


def font_family() -> str:
    """Register the vendored font once and return its family name ("Noto Sans SC")."""
    with _lock:
        if not _family:
            font_manager.fontManager.addfont(str(FONT_PATH))
            _family.append(font_manager.FontProperties(fname=str(FONT_PATH)).get_name())
        return _family[0]


def _figure(width_cm: float, height_cm: float) -> Figure:
    family = font_family()
    fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI, layout="constrained")
    fig.set_facecolor("white")
    fig.get_layout_engine().set(w_pad=0.08, h_pad=0.08)
    _ = family
    return fig


def _style(ax, family: str) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontfamily(family)


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def ranking_chart(*, names: Sequence[str], values: Sequence[float | None], target: float | None,
                  title: str, highlight_last: bool = True) -> bytes:
    """Horizontal bars of the units' growth, best at the top, with the target as a dashed line."""
    family = font_family()
    with matplotlib.rc_context({"font.family": family, "axes.unicode_minus": False}):
        fig = _figure(16, 11)
        ax = fig.add_subplot()
        shown = [0.0 if v is None else float(v) for v in values]
        positions = list(range(len(names)))[::-1]
        last = min((v for v in values if v is not None), default=None)
        colours = []
        for v in values:
            if v is None:
                colours.append("#ced4da")
            elif highlight_last and last is not None and v == last:
                colours.append(RED)
            elif target is not None and v < target:
                colours.append(AMBER)
            else:
                colours.append(GREEN)
        ax.barh(positions, shown, color=colours, height=0.65)
        ax.set_yticks(positions, labels=list(names), fontsize=8)
        span = max([abs(v) for v in shown] + [abs(float(target or 0)), 1.0])
        for y, v in zip(positions, values, strict=True):
            text = "无数据" if v is None else f"{v:.1f}%"
            # Labels to the right of the bar's end (of zero for negative bars), clear of the unit names.
            ax.text(max(0.0, float(v or 0)) + span * 0.015, y, text, va="center", ha="left", fontsize=7)
        if target is not None:
            ax.axvline(float(target), color=RED, linestyle="--", linewidth=1)
            ax.text(float(target), -0.9, f"目标 {float(target):g}%", color=RED, fontsize=7, ha="center", va="top",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        ax.set_ylim(-1.2, len(names) - 0.4)
        ax.set_xlim(min([0.0, *shown]) - span * 0.05, max([0.0, *shown, float(target or 0)]) + span * 0.12)
        ax.axvline(0, color="#333333", linewidth=0.6)
        ax.set_xlabel("同比增长（%）", fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelsize=7)
        _style(ax, family)
        return _png(fig)


def trend_chart(*, months: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                target: float | None, title: str) -> bytes:
    """Lines of monthly cumulative growth (one per series), with the target as a dashed line."""
    family = font_family()
    palette = [RED, GREY, "#0d6efd", "#6f42c1", "#fd7e14"]
    with matplotlib.rc_context({"font.family": family, "axes.unicode_minus": False}):
        fig = _figure(16, 7.5)
        ax = fig.add_subplot()
        for i, (label, values) in enumerate(series):
            xs = [j for j, v in enumerate(values) if v is not None]
            ys = [float(values[j]) for j in xs]
            style = "--" if i and label.endswith("年") else "-"
            ax.plot(xs, ys, marker="o" if style == "-" else None, markersize=3, linewidth=1.6, linestyle=style,
                    color=palette[i % len(palette)], label=label)
        if target is not None:
            ax.axhline(float(target), color=GREEN, linestyle=":", linewidth=1)
            ax.text(len(months) - 1, float(target), f"目标 {float(target):g}%", color=GREEN, fontsize=7,
                    ha="right", va="bottom")
        ax.set_xticks(range(len(months)), labels=list(months), fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.set_ylabel("累计同比增长（%）", fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.legend(frameon=False, prop={"family": family, "size": 7}, loc="upper center",
                  bbox_to_anchor=(0.5, -0.1), ncol=min(3, len(series)))
        ax.grid(axis="y", color="#e9ecef", linewidth=0.6)
        _style(ax, family)
        return _png(fig)
