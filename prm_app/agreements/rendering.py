"""An agreement's text as HTML for the page and the PDF: markdown (CommonMark, raw HTML off) rendered by
markdown-it-py, then sanitized by nh3 to a small set of tags, so neither a template nor a merged value can put
script, styles or event handlers on the page (the page inserts this HTML as it is)."""

from __future__ import annotations

import re
from functools import cache

import nh3
from markdown_it import MarkdownIt

# What an agreement needs, and what fpdf2's write_html can draw too.
TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "br",
    "hr",
    "blockquote",
    "a",
    "code",
}
ATTRIBUTES = {"a": {"href"}}


@cache
def _markdown() -> MarkdownIt:
    # "html": False: raw HTML in the markdown is shown as text, never passed through.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def to_html(markdown: str) -> str:
    """Sanitized HTML for `markdown` (only TAGS; links keep only http(s)/mailto targets, rel="noopener
    noreferrer")."""
    raw = _markdown().render(markdown)
    return nh3.clean(
        raw,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_HEADING = re.compile(r"<(/?)h([1-6])>")


def to_page_html(markdown: str, below: int = 2) -> str:
    """`to_html` for a page whose own headings go down to h`below`: the text's headings move down by `below`
    levels (its "# Title" becomes an h3 under the page's h2), so the page keeps one h1 and a heading order."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + below)}>", to_html(markdown))
