"""Reading a package's imsmanifest.xml safely: defusedxml refuses any DTD, entity or external reference (so no
XXE and no entity bomb reaches the parser), and every href it names must be a plain relative path inside the
package that the archive holds. Names in the manifest are only ever shown; they never form a path."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from prm_app.scorm.rules import Version

MANIFEST = "imsmanifest.xml"


class PackageRefused(Exception):
    """An archive or manifest we will not import; the message is for the manager, next to the upload."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sco:
    identifier: str
    title: str
    href: str  # relative to the package root, with the item's parameters


@dataclass(frozen=True)
class Manifest:
    version: Version
    identifier: str
    title: str
    scos: tuple[Sco, ...]
    mastery_score: Decimal | None = None
    scaled_passing_score: Decimal | None = None
    completion_threshold: Decimal | None = None

    @property
    def launch_href(self) -> str:
        return self.scos[0].href


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(node: Element, name: str) -> str:
    """An attribute by local name, whatever its namespace (adlcp:scormtype, adlcp:scormType, xml:base)."""
    for key, value in node.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _children(node: Element, name: str) -> list[Element]:
    return [child for child in node if _local(child.tag) == name]


def _first(node: Element | None, *path: str) -> Element | None:
    for name in path:
        if node is None:
            return None
        found = _children(node, name)
        node = found[0] if found else None
    return node


def _text(node: Element | None) -> str:
    return " ".join((node.text or "").split())[:200] if node is not None else ""


def _title(node: Element | None) -> str:
    return _text(_first(node, "title"))


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def safe_relative(path: str) -> str | None:
    """`path` as a normalized relative POSIX path inside the package, or None when it could leave it (.., an
    absolute path, a drive, a backslash, a URL scheme, control characters)."""
    if not path or "\\" in path or _SCHEME.match(path) or path.startswith("/") or any(ord(c) < 32 for c in path):
        return None
    parts = path.split("/")
    if any(part in {"..", "."} for part in parts if part) or ".." in parts:
        return None
    normal = posixpath.normpath(path)
    return None if normal.startswith("..") or normal.startswith("/") or normal == "." else normal


def _decimal(text: str, low: Decimal, high: Decimal) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() and low <= value <= high else None


def _version(root: Element) -> Version:
    schema = _text(_first(root, "metadata", "schemaversion")).lower()
    if schema.startswith("1.2"):
        return Version.V12
    if "2004" in schema or "cam 1.3" in schema:
        return Version.V2004
    namespaces = " ".join(str(v) for v in root.attrib.values()) + str(root.tag)
    if "adlcp_rootv1p2" in namespaces or "imscp_rootv1p1p2" in namespaces:
        return Version.V12
    if "adlcp_v1p3" in namespaces or "imscp_v1p1" in namespaces:
        return Version.V2004
    raise PackageRefused("The manifest does not say which SCORM version it is (1.2 or 2004).")


def parse_manifest(data: bytes, names: frozenset[str]) -> Manifest:
    """The package's version, title and SCOs (first = launch) from the manifest's bytes; `names` are the files
    the archive holds. Raises PackageRefused with a message for the manager."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise PackageRefused(
            "The manifest declares a DTD or entities, which could read server files or expand without end; "
            "it was not imported."
        ) from None
    except (ParseError, ValueError):
        raise PackageRefused("imsmanifest.xml is not well-formed XML.") from None
    if _local(root.tag) != "manifest":
        raise PackageRefused("imsmanifest.xml has no <manifest> root element.")
    version = _version(root)
    resources = _resources(root, names)
    organizations = _first(root, "organizations")
    orgs = _children(organizations, "organization") if organizations is not None else []
    default = _attr(organizations, "default") if organizations is not None else ""
    org = next((o for o in orgs if _attr(o, "identifier") == default), orgs[0] if orgs else None)
    launchable: dict[str, list[tuple[Sco, Element]]] = {"sco": [], "asset": []}
    for item in org.iter() if org is not None else []:
        if _local(item.tag) != "item" or not (ref := _attr(item, "identifierref")) or ref not in resources:
            continue
        kind, href = resources[ref]
        parameters = _attr(item, "parameters")
        if parameters and not re.fullmatch(r"[?#&]?[A-Za-z0-9_.~=&%+-]*", parameters):
            raise PackageRefused(f"Item {_attr(item, 'identifier')[:60]} has parameters that are not a query.")
        if parameters and parameters[0] not in "?#":
            parameters = ("&" if "?" in href else "?") + parameters.lstrip("&")
        sco = Sco(_attr(item, "identifier")[:120], _title(item) or href, href + parameters)
        launchable["sco" if kind == "sco" else "asset"].append((sco, item))
    # SCOs are what a package launches; a package of assets only (content without tracking) launches its first.
    chosen = launchable["sco"] or launchable["asset"]
    if not chosen:
        raise PackageRefused("The manifest names nothing to launch (an item pointing at a resource with an href).")
    scos = [sco for sco, _ in chosen]
    mastery, scaled, threshold = _thresholds(chosen[0][1], version)
    title = _title(org) or _title(_first(root, "metadata")) or scos[0].title
    return Manifest(
        version=version, identifier=_attr(root, "identifier")[:200], title=title[:200], scos=tuple(scos),
        mastery_score=mastery, scaled_passing_score=scaled, completion_threshold=threshold,
    )  # fmt: skip


def _resources(root: Element, names: frozenset[str]) -> dict[str, tuple[str, str]]:
    """identifier -> (scormtype, href relative to the package root) for resources with an href; every href (and
    xml:base) must stay inside the package and name a file the archive holds."""
    found: dict[str, tuple[str, str]] = {}
    container = _first(root, "resources")
    if container is None:
        raise PackageRefused("The manifest has no <resources>.")
    base = _attr(container, "base")
    for resource in _children(container, "resource"):
        href = _attr(resource, "href")
        if not href:
            continue
        joined = posixpath.join(base, _attr(resource, "base"), href)
        path, _, query = joined.partition("?")
        safe = safe_relative(path)
        if safe is None:
            raise PackageRefused(f"A resource points outside the package ({href[:80]}); it was not imported.")
        if safe not in names:
            raise PackageRefused(f"The manifest names {safe[:80]}, which is not in the zip.")
        kind = _attr(resource, "scormtype").lower() or "asset"
        found[_attr(resource, "identifier")] = (kind, safe + (f"?{query}" if query else ""))
    return found


def _thresholds(item: Element, version: Version) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    if version == Version.V12:
        return _decimal(_text(_first(item, "masteryscore")), Decimal(0), Decimal(100)), None, None
    objective = _first(item, "sequencing", "objectives", "primaryObjective")
    scaled = None
    if objective is not None and _attr(objective, "satisfiedByMeasure").lower() == "true":
        scaled = _decimal(_text(_first(objective, "minNormalizedMeasure")) or "1", Decimal(-1), Decimal(1))
    node = _first(item, "completionThreshold")
    threshold = None
    if node is not None:
        threshold = _decimal(_attr(node, "minProgressMeasure") or _text(node), Decimal(0), Decimal(1))
    return None, scaled, threshold
