"""Reading briefings back: the body table rows and the appendix lines."""

from docx import Document


def find_table(doc, header):
    """The table whose header row starts with ``header`` (the body table adds an ID column)."""
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells][: len(header)] == list(header))


def is_merged(row) -> bool:
    cells = row.cells
    return len(cells) > 1 and cells[0]._tc is cells[1]._tc


def body_rows(path):
    """(original, English) per body row; a heading row spans both columns (original, then English)."""
    table = find_table(Document(path), ("原文", "English"))
    rows = []
    for row in table.rows[1:]:
        if is_merged(row):
            paragraphs = [p.text for p in row.cells[0].paragraphs]
            rows.append((paragraphs[0], "\n".join(paragraphs[1:])))
        else:
            rows.append((row.cells[0].text, row.cells[1].text))
    return rows


def appendix_lines(path):
    doc = Document(path)
    return [r.cells[2].text for t in doc.tables if [c.text for c in t.rows[0].cells] == ["Line", "Kind", "Text"]
            for r in t.rows[1:]]


# ---------------------------------------------------------------- the package as XML (zipfile + lxml)

import re  # noqa: E402
import zipfile  # noqa: E402

from lxml import etree  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def parts(source) -> dict[str, bytes]:
    """Every part of a .docx (a path or a file object), by name."""
    with zipfile.ZipFile(source) as z:
        return {name: z.read(name) for name in z.namelist()}


def xml(source, name: str):
    return etree.fromstring(parts(source)[name])


def run_text(run) -> str:
    return "".join(t.text or "" for t in run.iter(W + "t"))


def is_on(element) -> bool:
    """An on/off property (w:b, w:i) is on unless its w:val says otherwise."""
    return element is not None and element.get(W + "val", "true") not in ("0", "false", "off")


def italic_styles(styles) -> set[str]:
    """Ids of the paragraph and character styles that set italics, through their basedOn chain."""
    by_id = {s.get(W + "styleId"): s for s in styles.iter(W + "style")}

    def italic(style_id, seen=()):
        style = by_id.get(style_id)
        if style is None or style_id in seen:
            return False
        rpr = style.find(W + "rPr")
        own = rpr.find(W + "i") if rpr is not None else None
        if own is not None:
            return is_on(own)
        based = style.find(W + "basedOn")
        return based is not None and italic(based.get(W + "val"), seen + (style_id,))

    return {style_id for style_id in by_id if italic(style_id)}


def block_texts(body) -> list[tuple[str, str]]:
    """(style id or "table", text) for each paragraph and table of the body, in order."""
    if body.tag == W + "document":
        body = body.find(W + "body")
    out = []
    for child in body:
        if child.tag == W + "p":
            style = child.find(f"{W}pPr/{W}pStyle")
            out.append((style.get(W + "val") if style is not None else "", "".join(t.text or "" for t in child.iter(W + "t"))))
        elif child.tag == W + "tbl":
            out.append(("table", " ".join(t.text or "" for t in child.iter(W + "t"))))
    return out


def last_section(body, heading: str) -> tuple[str, str]:
    """The text before and from the last Heading 1, which must be ``heading``."""
    blocks = block_texts(body)
    starts = [i for i, (style, _) in enumerate(blocks) if style == "Heading1"]
    assert starts and blocks[starts[-1]][1] == heading, [blocks[i] for i in starts]
    cut = starts[-1]
    return " ".join(t for _, t in blocks[:cut]), " ".join(t for _, t in blocks[cut:])
