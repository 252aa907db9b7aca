"""The segment manifest inside an XLIFF file, so that import rebuilds it exactly.

The manifest's own XML (``SegmentManifest.to_xml``) travels base64-encoded: as
text it would be re-indented or re-escaped by tools that rewrite the file, and
the bytes must come back unchanged.  XLIFF 1.2: a ``<reference>`` with an
``<internal-file form="base64">`` in the file's ``<header>`` (valid against the
strict schema, which checks elements of other namespaces and so would refuse
one of our own; Trados carries its own data the same way).  XLIFF 2.x: the
Metadata module (``mda:metadata``), made for a file's own data.
"""

from __future__ import annotations

import base64
import binascii

from lxml import etree

from pipeline.errors import BriefingError
from pipeline.review.manifest import SegmentManifest, is_manifest

MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
_META_TYPE = "briefing-manifest"
_ENCODING = "base64"


def _encode(xml: bytes) -> str:
    return base64.b64encode(xml).decode("ascii")


def embed_12(header, manifest: SegmentManifest) -> None:
    """Append the manifest to a 1.2 ``<header>`` element."""
    reference = etree.SubElement(header, _sibling(header, "reference"))
    etree.SubElement(reference, _sibling(header, "internal-file"), form=_ENCODING).text = _encode(manifest.to_xml())


def _sibling(element, name: str) -> str:
    return "{%s}%s" % (etree.QName(element).namespace, name)


def metadata_2(manifest: SegmentManifest):
    """A 2.x ``<mda:metadata>`` element holding the manifest (a file's first module element)."""
    metadata = etree.Element("{%s}metadata" % MDA_NS, nsmap={"mda": MDA_NS})
    group = etree.SubElement(metadata, "{%s}metaGroup" % MDA_NS, category="briefing")
    meta = etree.SubElement(group, "{%s}meta" % MDA_NS, type=_META_TYPE)
    meta.text = _encode(manifest.to_xml())
    return metadata


def find_manifest(root, where: str) -> SegmentManifest | None:
    """The manifest embedded in the XLIFF tree ``root`` (either form), or None.

    A 1.2 ``internal-file`` may hold anything (Trados keeps its own there): one is ours if it decodes
    to a manifest.  The 2.x ``meta`` is ours by its type, so a damaged one is an error."""
    for element in root.iter("{*}internal-file"):
        data = _decode(element.text) if element.get("form") == _ENCODING else b""
        if is_manifest(data):
            return SegmentManifest.from_xml(data)
    for element in root.iter("{%s}meta" % MDA_NS):
        if element.get("type") == _META_TYPE:
            data = _decode(element.text)
            if not is_manifest(data):
                raise BriefingError(f"{where}: the embedded briefing manifest is damaged; export the XLIFF again")
            return SegmentManifest.from_xml(data)
    return None


def _decode(text: str | None) -> bytes:
    try:
        return base64.b64decode("".join((text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        return b""
