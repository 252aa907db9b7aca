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
