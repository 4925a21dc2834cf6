"""Fonts the PDFs drawn here (fpdf2) can embed, found on the system: fpdf2's core fonts write Latin-1 only.

- `unicode_font()`: DejaVu Sans (regular, bold): every Latin, Greek and Cyrillic letter (German, French, Spanish,
  any typed name).
- `japanese_font()`: IPAexGothic, with kana and kanji (Debian's fonts-ipaexfont-gothic, which `make e2e` installs
  beside Chromium). It has no bold face.
- `font_for(text)`: the font to draw `text` with: the Japanese one when it holds kana or kanji (and the system has
  it), else DejaVu, else None (the caller then uses a core font and replaces what Latin-1 lacks).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_DEJAVU_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_JAPANESE_FONTS = (
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
)
_CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


@cache
def unicode_font() -> tuple[Path, Path] | None:
    """(regular, bold) DejaVu Sans, or None when the system has none."""
    for folder in _DEJAVU_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


@cache
def japanese_font() -> Path | None:
    """A font with kana and kanji (IPAexGothic), or None."""
    return next((path for path in _JAPANESE_FONTS if path.is_file()), None)


def has_japanese(text: str) -> bool:
    return bool(_CJK.search(text))


def font_for(text: str) -> Path | None:
    """The regular face to draw `text` with (see the module docstring), or None for a core font."""
    if has_japanese(text) and (japanese := japanese_font()) is not None:
        return japanese
    found = unicode_font()
    return found[0] if found is not None else None
