"""Lesson content that reaches a browser: markdown rendered by markdown-it-py with raw HTML off, then sanitized by
nh3 to reading tags (no script, style, event handlers or images from elsewhere); and the media store for videos
and PDFs (platform.uploads: streamed, capped, proven by content, outside the public upload folder), served only
by ui/media_http.py to people who may open the lesson."""

from __future__ import annotations

import re
from functools import cache

import nh3
from markdown_it import MarkdownIt

from prm_app.platform.settings import PROJECT_DIR
from prm_app.platform.uploads import CheckedStorage, FileRules

TAGS = {
    *("p", "h2", "h3", "h4", "h5", "h6", "strong", "em", "ul", "ol", "li", "br", "hr", "blockquote", "a"),
    *("code", "pre", "table", "thead", "tbody", "tr", "th", "td"),
}


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


_HEADING = re.compile(r"<(/?)h([1-6])>")


def lesson_html(markdown: str) -> str:
    """Sanitized HTML for a reading lesson. Its headings move down two levels (the page has the h1 and the
    lesson's title is the h2), so the page keeps one heading order."""
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + 2)}>", _markdown().render(markdown))
    return nh3.clean(
        html,
        tags=TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


# --- media ------------------------------------------------------------------------------------------------------

MEDIA_MAX_BYTES = 200 * 1024 * 1024
MP4 = "video/mp4"
PDF = "application/pdf"


def media_type(head: bytes) -> str | None:
    """An MP4 (an ISO base media file: a "ftyp" box first) or a PDF, proven by the first bytes."""
    if head.startswith(b"%PDF-"):
        return PDF
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:11] in (b"iso", b"mp4", b"avc", b"M4V", b"mp4"):
        return MP4
    return None


MEDIA_RULES = FileRules(
    field="media",
    max_bytes=MEDIA_MAX_BYTES,
    sniff=media_type,
    head_bytes=16,
    one_file="Choose one file.",
    empty="Choose a file first.",
    too_large=lambda max_bytes: f"That file is over {max_bytes // (1024 * 1024)} MB.",
    wrong_type="That file is not an MP4 video or a PDF.",
    unnamed="lesson file",
)

MEDIA = CheckedStorage(PROJECT_DIR / "uploads" / "training", MEDIA_RULES)
