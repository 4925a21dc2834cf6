"""Spacing between the children of Radix's layout components is its `spacing` prop (a step of the theme's space
scale). `gap="3"` looks like it, but Reflex passes an unknown keyword on as a CSS property: the inline style
`gap: 3`, which is no CSS length, so browsers dropped it and fields, forms and cards touched (#11)."""

from __future__ import annotations

import re
from pathlib import Path

import reflex as rx

ROOT = Path(__file__).resolve().parents[2]
UNITLESS_GAP = re.compile(r"\bgap(_x|_y)?=\"\d\"")

# Files other helpers were rewriting when the rest was fixed: each still has a unitless gap (the test says so when
# one no longer does, so the list only shrinks). Change `gap="N"` to `spacing="N"` there and drop the entry.
PENDING: set[str] = set()


def test_a_unitless_gap_is_dropped_css_and_spacing_is_the_theme_scale():
    flex_gap = str(rx.flex(rx.text("a"), gap="3").render())
    flex_spacing = str(rx.flex(rx.text("a"), spacing="3").render())
    assert '["gap"] : "3"' in flex_gap  # a style "gap: 3": no unit, so no gap
    assert 'gap:"3"' in flex_spacing and '["gap"]' not in flex_spacing  # Radix's own gap="3": var(--space-3)


def test_no_layout_is_given_a_unitless_gap():
    offenders = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "prm_app").rglob("*.py")
        if UNITLESS_GAP.search(path.read_text(encoding="utf-8"))
    }
    assert offenders - PENDING == set(), 'use spacing="N" (gap="N" is dropped by the browser)'
    assert PENDING - offenders == set(), "fixed: drop these from PENDING"
