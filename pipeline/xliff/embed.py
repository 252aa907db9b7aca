"""The segment manifest inside an XLIFF file, so that import rebuilds it exactly.

The manifest's own XML (``SegmentManifest.to_xml``) travels base64-encoded: as
text it would be re-indented or re-escaped by tools that rewrite the file, and
the bytes must come back unchanged.  XLIFF 1.2 allows elements of other
namespaces in a file's ``<header>``; XLIFF 2.x has the Metadata module
(``mda:metadata``) for a file's own data.  CAT tools keep both when they write
the translated file back.
"""

from __future__ import annotations

import base64
import binascii

from lxml import etree

from pipeline.errors import BriefingError
from pipeline.review.manifest import SegmentManifest, is_manifest

EMBED_NS = "urn:briefing:xliff:1"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
_META_TYPE = "briefing-manifest"
_ENCODING = "base64"


def _encode(xml: bytes) -> str:
    return base64.b64encode(xml).decode("ascii")


def embed_12(header, manifest: SegmentManifest) -> None:
    """Append the manifest to a 1.2 ``<header>`` element."""
    element = etree.SubElement(header, "{%s}manifest" % EMBED_NS, nsmap={"briefing": EMBED_NS})
    element.set("encoding", _ENCODING)
    element.text = _encode(manifest.to_xml())


def metadata_2(manifest: SegmentManifest):
    """A 2.x ``<mda:metadata>`` element holding the manifest (a file's first module element)."""
    metadata = etree.Element("{%s}metadata" % MDA_NS, nsmap={"mda": MDA_NS})
    group = etree.SubElement(metadata, "{%s}metaGroup" % MDA_NS, category="briefing")
    meta = etree.SubElement(group, "{%s}meta" % MDA_NS, type=_META_TYPE)
    meta.text = _encode(manifest.to_xml())
    return metadata


def find_manifest(root, where: str) -> SegmentManifest | None:
    """The manifest embedded anywhere in the XLIFF tree ``root`` (either form), or None."""
    found = [e.text for e in root.iter("{%s}manifest" % EMBED_NS)]
    found += [e.text for e in root.iter("{%s}meta" % MDA_NS) if e.get("type") == _META_TYPE]
    if not found:
        return None
    try:
        data = base64.b64decode("".join((found[0] or "").split()), validate=True)
    except (binascii.Error, ValueError):
        data = b""
    if not is_manifest(data):
        raise BriefingError(f"{where}: the embedded briefing manifest is damaged; export the XLIFF again")
    return SegmentManifest.from_xml(data)
