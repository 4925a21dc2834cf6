"""What the library's pages show: the area's read models in, small frozen rows of display text out (formatting
with prm_app/web/format.py), so the page modules only lay things out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from prm_app.content.manage_queries import AssetRow, MonthUsage, PartnerUsage, VersionUsage
from prm_app.content.queries import AssetCard, AssetView
from prm_app.content.rules import CATEGORY_LABELS, LANGUAGES, type_label
from prm_app.content.ui.file_http import file_url, variant_file_url
from prm_app.platform.i18n import DEFAULT_LANGUAGE, Catalogue, catalogue
from prm_app.platform.variants import languages_text
from prm_app.web.format import day, moment, number


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"


@dataclass(frozen=True)
class CardLine:
    slug: str
    href: str
    title: str
    description: str
    facts: str  # "Sales collateral · PDF · English · Storage"
    tags: str
    published: str
    locked: str  # "" or "Available from Gold"
    is_new: bool


def category_text(category: str, words: Catalogue) -> str:
    """A category's name in the reader's language ("Sales collateral", "Vertriebsmaterial")."""
    key = f"content.category_{category}"
    return words.text(key) if category in CATEGORY_LABELS else category


def language_text(code: str, words: Catalogue) -> str:
    """A content language's name in the reader's language ("German", "Deutsch")."""
    key = f"content.language_{code}"
    return words.text(key) if code in LANGUAGES else code


def _kind_text(kind: str, is_cobrand: bool, content_type: str, words: Catalogue) -> str:
    if kind == "link":
        return words.text("content.kind_link")
    return words.text("content.kind_cobrand") if is_cobrand else type_label(content_type)


def card_line(c: AssetCard, zone: tzinfo, language: str = DEFAULT_LANGUAGE) -> CardLine:
    words = catalogue(language)
    kind = _kind_text(c.kind, c.is_cobrand, c.content_type, words)
    parts = [category_text(c.category, words), kind, language_text(c.language, words), c.product]
    return CardLine(
        slug=c.slug,
        href=f"/a/{c.slug}",
        title=c.title,
        description=c.description[:220] + ("…" if len(c.description) > 220 else ""),
        facts=" · ".join(p for p in parts if p),
        tags=c.tags,
        published=day(c.publish_at, zone, language=language),
        locked=words.text("content.available_from", tier=c.locked_from_tier) if c.locked_from_tier else "",
        is_new=c.is_new,
    )


@dataclass(frozen=True)
class AssetShown:
    title: str
    description: str
    facts: str
    tags: str
    kind: str  # file | link
    preview: str  # image | pdf | video | "" (none)
    inline_src: str
    download_href: str
    link_url: str
    version_text: str  # "Version 2 of 2 · 1.2 MB · PDF"
    superseded: bool
    current_href: str
    locked: str  # "" or "Available from Gold partners. Reach that tier ..."
    is_cobrand: bool
    changelog: str
    window: str  # "Published 9 Dec 2026, 18:00 CET · available until 31 Dec 2026, 23:59 CET" (the reader's zone)


def preview_kind(content_type: str) -> str:
    if content_type.startswith("image/"):
        return "image"
    if content_type == "application/pdf":
        return "pdf"
    return "video" if content_type == "video/mp4" else ""


def _version_text(v: AssetView, words: Catalogue) -> str:
    version = v.version
    if version is None:
        return ""
    size, ctype = (
        (v.variant_file.size, v.variant_file.content_type) if v.variant_file else (version.size, version.content_type)
    )
    of = v.current_n if v.current_n >= version.n else version.n
    return words.text("content.version_of", n=version.n, of=of) + f" · {size_text(size)} · {type_label(ctype)}"


def _window(v: AssetView, zone: tzinfo, language: str, words: Catalogue) -> str:
    published = words.text("content.published_at", when=moment(v.publish_at, zone, language=language))
    if v.expire_at is None:
        return published
    return published + " · " + words.text("content.available_until", when=moment(v.expire_at, zone, language=language))


def asset_shown(v: AssetView, pinned: bool, zone: tzinfo, language: str = DEFAULT_LANGUAGE) -> AssetShown:
    """The asset page's display rows in the reader's `language` (its words are the shown variant's)."""
    words = catalogue(language)
    version = v.version
    ctype = v.variant_file.content_type if v.variant_file else (version.content_type if version else "")
    n = v.shown_n if pinned else None
    parts = [category_text(v.category, words), language_text(v.language, words), v.product]
    own = v.variant_file is not None and version is not None
    return AssetShown(
        title=v.title,
        description=v.description,
        facts=" · ".join(p for p in parts if p),
        tags=v.tags,
        kind=v.kind,
        preview=preview_kind(ctype),
        inline_src=(variant_file_url(v.slug, v.language, inline=True) if own else file_url(v.slug, n, inline=True))
        if version
        else "",
        download_href=(variant_file_url(v.slug, v.language) if own else file_url(v.slug, n)) if version else "",
        link_url=v.link_url,
        version_text=_version_text(v, words),
        superseded=version is not None and version.n != v.current_n,
        current_href=f"/a/{v.slug}",
        locked=words.text("content.locked_note", tier=v.locked_from_tier) if v.locked_from_tier else "",
        is_cobrand=v.is_cobrand,
        changelog=version.changelog if version else "",
        window=_window(v, zone, language, words),
    )


@dataclass(frozen=True)
class AssetLine:
    id: int
    title: str
    href: str
    category: str
    version: str
    audience: str
    published: str
    deleted: str
    languages: str = ""  # "EN · DE"


def asset_line(r: AssetRow, zone: tzinfo) -> AssetLine:
    kind = "Link" if r.kind == "link" else f"v{r.current_n}" + (" · co-brand" if r.is_cobrand else "")
    return AssetLine(
        id=r.id,
        title=r.title,
        href=f"/content/{r.id}",
        category=CATEGORY_LABELS.get(r.category, r.category),
        version=kind,
        audience=r.audience,
        published=moment(r.publish_at, zone) + (f" – {moment(r.expire_at, zone)}" if r.expire_at else ""),
        deleted=moment(r.deleted_at, zone) if r.deleted_at else "",
        languages=languages_text(r.languages),
    )


@dataclass(frozen=True)
class VersionLine:
    n: int
    label: str  # "v2"
    file: str
    added: str
    changelog: str
    views: str
    downloads: str
    is_current: bool
    href: str


def version_line(u: VersionUsage, current_n: int, slug: str, zone: tzinfo) -> VersionLine:
    v = u.version
    note = (v.changelog or "—") + (" (material change)" if v.material_change else "")
    return VersionLine(
        n=v.n,
        label=f"v{v.n}" + (" (current)" if v.n == current_n else ""),
        file=f"{v.file_name} · {size_text(v.size)} · {type_label(v.content_type)}",
        added=moment(v.created_at, zone),
        changelog=note,
        views=number(u.views),
        downloads=number(u.downloads),
        is_current=v.n == current_n,
        href=f"/a/{slug}/v/{v.n}",
    )


@dataclass(frozen=True)
class UsageLine:
    label: str
    views: str
    downloads: str


def partner_usage(p: PartnerUsage) -> UsageLine:
    return UsageLine(p.organization, number(p.views), number(p.downloads))


def month_usage(m: MonthUsage) -> UsageLine:
    return UsageLine(m.month, number(m.views), number(m.downloads))
