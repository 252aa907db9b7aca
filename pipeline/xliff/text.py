"""The plain text of an XLIFF source or target with inline markup.

Paired and placeholder codes (1.2: g, x, bx, ex; 2.x: pc, ph, sc, ec) keep the
text they enclose; the native code that 1.2's ph, bpt, ept and it carry (e.g.
``&lt;b&gt;``) is not text.  Tracked changes are read as accepted, as in a
Word copy: text marked deleted by memoQ (``mrk mtype="x-mq-tc"
mq:tctype="del"``) or Trados (``mrk mtype="x-sdl-deleted"``) is dropped.

translate-toolkit's ``unit.target`` flattens markup too, but keeps 1.2 native
code as text (``<ph>&lt;br/&gt;</ph>`` reads as ``<br/>``) and knows nothing of
the tools' tracked changes, so the text is taken here from the unit's XML.
"""

from __future__ import annotations

from lxml import etree

_NATIVE_CODE = {"ph", "bpt", "ept", "it"}  # 1.2: their content is the original format's markup
_MQ_NS = "MQXliff"


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _deleted(element) -> bool:
    if _local(element) != "mrk":
        return False
    mtype = element.get("mtype", "")
    return mtype == "x-sdl-deleted" or (mtype == "x-mq-tc" and element.get("{%s}tctype" % _MQ_NS) == "del")


def _has_content(element) -> bool:
    """1.2 ph/bpt/ept/it hold native code; in 2.x ph is empty anyway (same name, no content)."""
    return _local(element) not in _NATIVE_CODE


def inline_text(element) -> str:
    """The text of ``element`` (a source or target), markup removed, whitespace runs collapsed."""
    if element is None:
        return ""
    return " ".join(_text(element).split())


def _text(element) -> str:
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # comments and processing instructions
            pass
        elif _local(child) == "cp":  # 2.x: a character XML cannot carry
            parts.append(_code_point(child.get("hex", "")))
        elif _has_content(child) and not _deleted(child):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _code_point(hex_value: str) -> str:
    try:
        return chr(int(hex_value, 16))
    except ValueError:
        return ""
