"""Write the Word briefing: title block, side-by-side table, appendix.

python-docx traps handled here, each checked by tests that read the XML:
Chinese falls back to a Latin font unless ``w:eastAsia`` is set; Word ignores
column widths unless every cell carries one; a header row repeats on each
page only with ``w:tblHeader``.

Every body row carries an id in a narrow grey ID column (plain text survives
any editor), and the document carries a segment manifest in a custom XML part
(pipeline/review/manifest.py) so ``review import`` can read a reviewer's copy
back.  Rows whose English a reviewer wrote are shaded green and marked.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from pipeline.article import TranslatedArticle
from pipeline.signature import Signature

# Word on Windows has Microsoft JhengHei for Traditional Chinese; LibreOffice
# and Word elsewhere substitute an installed CJK font for the East Asian slot
# (fontconfig picks Noto Sans CJK TC when fonts-noto-cjk is installed).
EAST_ASIAN_FONT = "Microsoft JhengHei"
# Declared in the font table as alternates (w:altName), for systems without it.
EAST_ASIAN_FALLBACKS = ("PMingLiU", "Noto Sans CJK TC")
LATIN_FONT = "Calibri"
HEADER_FILL = "D9E2F3"
HEADING_FILL = "EDEDED"
FLAG_FILL = "FFF2CC"
REVIEWED_FILL = "E2EFDA"
ID_GREY = RGBColor(0x80, 0x80, 0x80)
REVIEWED_MARK = "reviewed"
BODY_HEADER = ("原文", "English", "ID")
PAGE_SIZES = {"a4": (Cm(21.0), Cm(29.7)), "letter": (Cm(21.59), Cm(27.94))}


@dataclass(frozen=True)
class BriefingOptions:
    page_size: str = "a4"
    align: str = "paragraph"  # paragraph | sentence
    run_id: str = ""  # names the run in the segment manifest (default: the generation time)


def render_briefing(
    translated: TranslatedArticle,
    signature: Signature,
    options: BriefingOptions = BriefingOptions(),
    generated_at: datetime | None = None,
) -> bytes:
    """The briefing as DOCX bytes (the caller writes them atomically)."""
    article = translated.article
    generated_at = generated_at or datetime.now(timezone.utc)
    doc = Document()
    _setup_styles(doc)
    section = _setup_page(doc, options.page_size)
    _header_footer(section, translated.title_translation or article.title)
    _core_properties(doc, translated, signature, generated_at)

    title = doc.add_paragraph(style="Title")
    title.add_run(translated.title_translation or article.title)
    original = doc.add_paragraph(style="Subtitle")
    original.add_run(article.title)

    _metadata_table(doc, translated, signature, generated_at, section, options)
    _key_terms(doc, translated, section)

    doc.add_heading("Original and English", level=1)
    rows = _body_table(doc, translated, options, section)
    _appendix(doc, translated, section)
    _attach_manifest(doc, translated, signature, options, generated_at, rows)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- styles and page


def _set_run_fonts(rpr, east_asia: str = EAST_ASIAN_FONT) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "zh-TW")


def _setup_styles(doc) -> None:
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2"):
        style = doc.styles[name]
        _set_run_fonts(style.element.get_or_add_rPr())
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(3)
    doc.styles["Title"].font.size = Pt(24)
    _declare_east_asian_font(doc)


def _declare_east_asian_font(doc) -> None:
    """Add the CJK font to word/fontTable.xml with Traditional Chinese charset and
    alternates, so Word and LibreOffice pick a Traditional Chinese face when the
    named one is missing (python-docx has no API for the font table)."""
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            blob = part.blob.decode("utf-8")
            if f'w:name="{EAST_ASIAN_FONT}"' in blob:
                return
            entry = (
                f'<w:font w:name="{EAST_ASIAN_FONT}"><w:altName w:val="{",".join(EAST_ASIAN_FALLBACKS)}"/>'
                '<w:charset w:val="88"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
            )
            part._blob = blob.replace("</w:fonts>", entry + "</w:fonts>").encode("utf-8")
            return


def _setup_page(doc, page_size: str):
    section = doc.sections[0]
    width, height = PAGE_SIZES.get(page_size.lower(), PAGE_SIZES["a4"])
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = Cm(2.0)
    section.bottom_margin = Cm(1.8)
    return section


def _usable_width(section):
    return section.page_width - section.left_margin - section.right_margin


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice compute on display."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.extend([begin, instr, separate, placeholder, end])


HEADER_TITLE_CHARS = 90


def _header_footer(section, title: str) -> None:
    header = section.header.paragraphs[0]
    header.text = xml_safe(title if len(title) <= HEADER_TITLE_CHARS else title[: HEADER_TITLE_CHARS - 1] + "…")
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in header.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _core_properties(doc, translated: TranslatedArticle, signature: Signature, generated_at: datetime) -> None:
    props = doc.core_properties
    props.title = _fit(translated.title_translation or translated.article.title)
    props.subject = _fit(translated.article.title)
    props.keywords = _fit(", ".join(sorted({target for target, _ in translated.term_counts()})))
    props.author = "briefing"
    props.comments = signature.short()
    props.created = generated_at.replace(tzinfo=None)
    props.last_modified_by = f"briefing {signature.version}"
    props.category = "bilingual briefing"
    set_generator(doc, f"briefing {signature.version}")


def set_generator(doc, name: str) -> None:
    """docProps/app.xml names the application that wrote the file; python-docx's
    template says "Microsoft Macintosh Word", which would mislead a reader."""
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            blob = part.blob.decode("utf-8")
            blob = re.sub(r"<Application>.*?</Application>", f"<Application>{name}</Application>", blob)
            part._blob = blob.encode("utf-8")
            return


def _fit(value: str, limit: int = 255) -> str:
    """Core properties hold at most 255 characters (python-docx enforces Word's limit)."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


# ---------------------------------------------------------------- tables


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):  # one shading per cell: the last call wins
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _fixed_table(doc, rows: int, widths: list, style: str = "Table Grid"):
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths):
        column.width = width  # LibreOffice lays out from the grid (w:gridCol)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width  # Word ignores gridCol widths without per-cell tcW
    return table


def _set_widths(row, widths: list, keep_together: bool = True) -> None:
    for cell, width in zip(row.cells, widths):
        cell.width = width
    if keep_together:  # a short row split over two pages leaves an empty-looking stub
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def data_table(doc, section, header: tuple[str, ...], shares: tuple[float, ...], rows=(), font_size=None):
    """A fixed-width table whose shaded header row repeats on every page, one text per cell.

    ``shares`` are the columns' fractions of the usable page width."""
    total = _usable_width(section)
    widths = [int(total * share) for share in shares[:-1]]
    widths.append(total - sum(widths))
    table = _fixed_table(doc, 1, widths)
    for cell, label in zip(table.rows[0].cells, header):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, HEADER_FILL)
    _repeat_as_header(table.rows[0])
    for values in rows:
        row = table.add_row()
        _set_widths(row, widths)
        for cell, value in zip(row.cells, values):
            cell.text = xml_safe(value)
            if font_size:
                for run in cell.paragraphs[0].runs:
                    run.font.size = font_size
    return table, widths


def _metadata_table(doc, translated: TranslatedArticle, signature: Signature, generated_at: datetime, section,
                    options: BriefingOptions) -> None:
    article = translated.article
    chars = sum(len(re.sub(r"\s", "", b.block.text)) for b in translated.blocks)
    words = sum(len(b.translation.split()) for b in translated.blocks)
    rows = [
        ("Date", article.date or "not stated"),
        ("Source", article.source or "not stated"),
        ("Byline", article.byline or "not stated"),
        ("Original file", f"{article.path.name} ({article.encoding})"),
        ("Length", f"{chars} Chinese characters; {words} English words; "
                   f"{len(translated.blocks)} paragraphs, {len(translated.sentences)} sentences"),
        ("Generated", generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("Model", f"{signature.model_id} (revision {signature.model_revision})"),
        ("Normalisation", f"OpenCC {signature.opencc_config}"),
        ("Glossary", f"{signature.glossary_entries} entries, hash {signature.glossary_hash}"),
        ("Decoding", f"{signature.decoding}; source terms {signature.source_terms}; numbers {signature.numbers}"),
        ("QA flags", _flag_summary(translated)),
        ("Reviewed", _reviewed_summary(translated, options)),
        ("Signature", signature.short()),
    ]
    total = _usable_width(section)
    widths = [int(total * 0.22), total - int(total * 0.22)]
    table = _fixed_table(doc, len(rows), widths)
    for row, (label, value) in zip(table.rows, rows):
        _set_widths(row, widths)
        row.cells[0].text = label
        row.cells[1].text = value
        for run in row.cells[0].paragraphs[0].runs:
            run.bold = True
        for paragraph in row.cells[1].paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(9)


def _flag_summary(translated: TranslatedArticle) -> str:
    counts: dict[str, int] = {}
    for s in translated.sentences:
        for f in s.flags:
            counts[f.name] = counts.get(f.name, 0) + 1
    if not counts:
        return "none"
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) + " (shaded rows carry a comment)"


def _reviewed_summary(translated: TranslatedArticle, options: BriefingOptions) -> str:
    units = [(s.reviewed,) for s in translated.sentences] if options.align == "sentence" else \
        [(b.reviewed,) for b in translated.blocks]
    done = sum(u[0] for u in units)
    if not done:
        return "none"
    kind = "sentences" if options.align == "sentence" else "paragraphs"
    return f"{done} of {len(units)} {kind} in the reviewer's English (green rows marked {REVIEWED_MARK})"


def _key_terms(doc, translated: TranslatedArticle, section) -> None:
    counts = translated.term_counts()
    doc.add_heading("Key terms", level=2)
    if not counts:
        doc.add_paragraph("No glossary terms occur in this article.")
        return
    merged: dict[str, tuple[set[str], int]] = {}
    for (target, source), n in counts.items():
        sources, total = merged.get(target, (set(), 0))
        merged[target] = (sources | {source}, total + n)
    ranked = sorted(merged.items(), key=lambda kv: (-kv[1][1], kv[0]))
    data_table(doc, section, ("English", "原文", "Count"), (0.45, 0.40, 0.15),
               [(target, "、".join(sorted(sources)), str(n)) for target, (sources, n) in ranked])


def _body_table(doc, translated: TranslatedArticle, options: BriefingOptions, section) -> list:
    """The side-by-side table; returns the manifest rows (one per table row, in order)."""
    from pipeline.review.manifest import Row

    table, widths = data_table(doc, section, BODY_HEADER, (0.46, 0.46, 0.08))
    manifest_rows = []
    for b, tblock in enumerate(translated.blocks, start=1):
        if options.align == "sentence":
            units = [(f"{b}.{i}", s.original, s.translation, [s], s.reviewed)
                     for i, s in enumerate(tblock.sentences, start=1)]
        else:
            units = [(str(b), tblock.block.text, tblock.translation, tblock.sentences, tblock.reviewed)]
        for row_id, original, english, sentences, reviewed in units:
            row = table.add_row()
            _set_widths(row, widths, keep_together=tblock.block.is_heading)  # long paragraphs may split
            english_cell = _fill_row(doc, row, widths, tblock.block.is_heading, original, english, sentences)
            _id_cell(row.cells[-1], row_id, reviewed)
            if reviewed:
                _shade(english_cell, REVIEWED_FILL)
            kind = "heading" if tblock.block.is_heading else options.align
            manifest_rows.append(Row(row_id, kind, original, english,
                                     [_segment(f"{b}.{i}", s) for i, s in _numbered(tblock, sentences)]))
    return manifest_rows


def _numbered(tblock, sentences):
    return [(i, s) for i, s in enumerate(tblock.sentences, start=1) if any(s is x for x in sentences)]


def _fill_row(doc, row, widths, is_heading: bool, original: str, english: str, sentences):
    enforced = [t for s in sentences for t in s.terms if t.kind == "term" and t.target and not t.unsure]
    sources = {t.source for t in enforced}
    targets = {(t.target, tuple(t.variants)) for t in enforced}
    if is_heading:
        # a heading spans the text columns: the original, then its English, both bold
        cell = row.cells[0].merge(row.cells[1])
        cell.width = widths[0] + widths[1]
        _write_marked(cell.paragraphs[0], original, sources, bold_all=True)
        english_paragraph = cell.add_paragraph()
        _write_marked(english_paragraph, english, targets, bold_all=True)
        cells = [cell]
    else:
        _write_marked(row.cells[0].paragraphs[0], original, sources)
        english_paragraph = row.cells[1].paragraphs[0]
        _write_marked(english_paragraph, english, targets)
        cells = [row.cells[0], row.cells[1]]
    flags = [f for s in sentences for f in s.flags]
    if flags:  # reviewers jump from comment to comment in Word
        for cell in cells:
            _shade(cell, FLAG_FILL)
        runs = english_paragraph.runs or [english_paragraph.add_run("")]
        note = "\n".join(f"{f.name}: {f.reason}" for f in flags)
        doc.add_comment(runs, text=xml_safe(note), author="briefing QA", initials="QA")
    elif is_heading:
        _shade(cells[0], HEADING_FILL)
    for s in sentences:
        if s.fuzzy is not None:  # a near human translation: the reviewer may prefer it to the model's
            runs = english_paragraph.runs or [english_paragraph.add_run("")]
            doc.add_comment(runs, text=xml_safe(s.fuzzy.comment()), author="briefing TM", initials="TM")
    return cells[-1]


def _id_cell(cell, row_id: str, reviewed: bool) -> None:
    """The row's id, small and grey; a reviewed row also says so, in green."""
    run = cell.paragraphs[0].add_run(row_id)
    run.font.size = Pt(7)
    run.font.color.rgb = ID_GREY
    if reviewed:
        mark = cell.add_paragraph().add_run(REVIEWED_MARK)
        mark.font.size = Pt(6)
        mark.bold = True
        mark.font.color.rgb = RGBColor(0x37, 0x86, 0x3C)


def _segment(segment_id: str, sentence):
    from pipeline.review.manifest import Segment, TermRecord

    terms = [TermRecord(t.source, t.target, tuple(t.variants), t.kind) for t in sentence.terms if t.target and not t.unsure]
    return Segment(segment_id, sentence.original, sentence.model_input, tuple(sentence.constraints),
                   sentence.translation, sentence.origin, terms)


def _attach_manifest(doc, translated: TranslatedArticle, signature: Signature, options: BriefingOptions,
                     generated_at: datetime, rows: list) -> None:
    from pipeline.review.manifest import SegmentManifest, attach

    context = {"model_id": signature.model_id, "model_revision": signature.model_revision,
               "opencc_config": signature.opencc_config, "decoding": signature.decoding, "version": signature.version}
    manifest = SegmentManifest(run=options.run_id or generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                               generated=generated_at.isoformat(), article=translated.article.path.name,
                               align=options.align, signature=signature.short(), context=context, rows=rows)
    attach(doc, manifest.to_xml(), seed=translated.article.path.name)


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """XML 1.0 cannot hold these characters; ingest already removed them from author text."""
    return _NOT_XML.sub("\ufffd", text)


def _term_spans(text: str, terms) -> list[tuple[int, int]]:
    """English terms through the one presence test (AI is not bold inside OpenAI);
    Chinese sources as written (they were matched in this very text)."""
    from pipeline.translate.presence import mark_spans

    pairs = [t if isinstance(t, tuple) else (t, ()) for t in terms]
    latin = [p for p in pairs if p[0][:1].isascii()]
    spans = mark_spans(text, latin)
    for source, _ in sorted((p for p in pairs if not p[0][:1].isascii()), key=lambda p: -len(p[0])):
        start = text.find(source)
        while start >= 0:
            end = start + len(source)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = text.find(source, end)
    return sorted(spans)


def _write_marked(paragraph, text: str, terms: set, bold_all: bool = False) -> None:
    """Add ``text`` as runs, glossary terms in bold."""
    text = xml_safe(text)
    if not text:
        return
    if not terms:
        paragraph.add_run(text).bold = bold_all or None
        return
    cursor = 0
    for start, end in _term_spans(text, terms):
        if start > cursor:
            paragraph.add_run(text[cursor:start]).bold = bold_all or None
        paragraph.add_run(text[start:end]).bold = True
        cursor = end
    if cursor < len(text):
        paragraph.add_run(text[cursor:]).bold = bold_all or None


def _appendix(doc, translated: TranslatedArticle, section) -> None:
    article = translated.article
    doc.add_heading("Appendix", level=1)
    doc.add_heading("QA summary", level=2)
    flagged = [(f, s) for s in translated.sentences for f in s.flags]
    if not flagged:
        doc.add_paragraph("No QA flags.")
    else:
        data_table(doc, section, ("Flag", "Sentence", "Reason"), (0.14, 0.43, 0.43),
                   [(flag.name, sentence.original, flag.reason) for flag, sentence in flagged])
    _memory_summary(doc, translated)
    _figures(doc, translated, section)
    _unsure(doc, translated, section)
    _source_lines(doc, "Lines used as metadata", article.metadata_lines, section)
    _source_lines(doc, "Page debris separated from the body", article.debris, section)


def _memory_summary(doc, translated: TranslatedArticle) -> None:
    """Rows by where their English came from: a human's (exact), the model's beside a near
    human match (fuzzy, a comment on the row), the model's alone (new; remembered or not)."""
    sentences = translated.sentences
    exact = sum(s.origin == "human" for s in sentences)
    fuzzy = sum(s.fuzzy is not None for s in sentences)
    doc.add_heading("Translation memory", level=2)
    doc.add_paragraph(f"Sentences: exact (human) {exact}, fuzzy {fuzzy}, new {len(sentences) - exact - fuzzy}.")


def _figures(doc, translated: TranslatedArticle, section) -> None:
    """Every figure the number stage read, with the value and unit it understood."""
    doc.add_heading("Figures", level=2)
    figures = [t for s in translated.sentences for t in s.terms if t.kind == "number"]
    if not figures:
        doc.add_paragraph("No figures.")
        return
    rows = [(t.source, t.target or "not enforced", t.value or "-", t.unit or "-",
             "unsure" if t.unsure else "yes" if t.found else "MISSING") for t in figures]
    data_table(doc, section, ("Figure", "English", "Value", "Unit", "In the English"), (0.2, 0.28, 0.22, 0.12, 0.18), rows)


def _unsure(doc, translated: TranslatedArticle, section) -> None:
    """Terms and figures found but not enforced (term-unsure, number-unsure): a reviewer checks these."""
    doc.add_heading("Terms and figures to check", level=2)
    items = [(s, t) for s in translated.sentences for t in s.terms if t.unsure]
    if not items:
        doc.add_paragraph("None: every term and figure found was enforced.")
        return
    data_table(doc, section, ("Kind", "原文", "Why not enforced", "Sentence"), (0.12, 0.16, 0.34, 0.38),
               [(f"{t.kind}-unsure", t.source, t.unsure, s.original) for s, t in items])


def _source_lines(doc, title: str, lines, section) -> None:
    """Author lines kept verbatim outside the body: line number, why, the text."""
    doc.add_heading(title, level=2)
    if not lines:
        doc.add_paragraph("None.")
        return
    data_table(doc, section, ("Line", "Kind", "Text"), (0.08, 0.2, 0.72),
               [(str(line.line), line.reason, line.text) for line in lines])
