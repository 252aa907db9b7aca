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
from dataclasses import dataclass, field
from datetime import datetime, timezone

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from pipeline.article import TranslatedArticle
from pipeline.briefing.properties import Properties, default_author, set_lang, set_properties, tag_languages
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
    # the document's author property: the person running briefing (CLI --author), not the tool
    author: str = field(default_factory=default_author)


ABOUT_HEADING = "About this briefing"


def render_briefing(
    translated: TranslatedArticle,
    signature: Signature,
    options: BriefingOptions | None = None,
    generated_at: datetime | None = None,
) -> bytes:
    """The briefing as DOCX bytes (the caller writes them atomically).

    Page one is what a reader needs (title, source, byline, date, key terms and
    figures); how it was made (model, hashes, settings, signature) is the last
    section, "About this briefing"."""
    options = options or BriefingOptions()
    article = translated.article
    generated_at = generated_at or datetime.now(timezone.utc)
    doc = Document()
    _setup_styles(doc)
    section = _setup_page(doc, options.page_size)
    _header_footer(section, translated.title_translation or article.title)
    _core_properties(doc, translated, signature, generated_at, options)

    title = doc.add_paragraph(style="Title")
    title.add_run(translated.title_translation or article.title)
    original = doc.add_paragraph(style="Subtitle")
    original.add_run(article.title)

    _metadata_table(doc, translated, section, options)
    _key_figures(doc, translated, section)  # short (at most KEY_FIGURES rows): it stays on page one
    _key_terms(doc, translated, section)

    doc.add_heading("Original and English", level=1)
    rows = _body_table(doc, translated, options, section)
    _appendix(doc, translated, section)
    _about(doc, translated, signature, generated_at, section, options)
    _attach_manifest(doc, translated, signature, options, generated_at, rows)
    tag_document(doc)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- styles and page


def _set_run_fonts(rpr, east_asia: str = EAST_ASIAN_FONT) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):  # a theme font (w:eastAsiaTheme) overrides the named one
        if attr.lower().endswith("theme"):
            del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    set_lang(rpr)


# Chinese typography has no italics: the template's Subtitle (the Chinese title) is italic.
STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2")


def _setup_styles(doc) -> None:
    for name in STYLES:
        style = doc.styles[name]
        rpr = style.element.get_or_add_rPr()
        _set_run_fonts(rpr)
        for tag in ("w:i", "w:iCs"):
            for italic in rpr.findall(qn(tag)):
                rpr.remove(italic)
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


def _core_properties(doc, translated: TranslatedArticle, signature: Signature, generated_at: datetime,
                     options: BriefingOptions) -> None:
    set_properties(doc, Properties(
        title=translated.title_translation or translated.article.title,
        subject=translated.article.title,
        keywords=", ".join(sorted({target for target, _ in translated.term_counts()})),
        author=options.author,
        generator=f"briefing {signature.version}",
        created=generated_at,
        comments=signature.short(),
        category="bilingual briefing",
    ))


def tag_document(doc) -> None:
    """w:lang on every run of the body, header, footer (tables included) and comments."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    tag_languages(doc.element.body)
    for section in doc.sections:
        for part in (section.header, section.footer):
            tag_languages(part._element)
    # the QA and memory comments quote Chinese too; found by relationship, since asking
    # python-docx for the comments part would add an empty one to a document without comments
    for rel in doc.part.rels.values():
        if rel.reltype == RELATIONSHIP_TYPE.COMMENTS:
            tag_languages(rel.target_part.element)


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


# Widths in em of a wide fallback face (DejaVu Sans): LibreOffice without Calibri or its
# metric twin Carlito sets the text wider than Word, and a label must not wrap there either.
_EM = {"cjk": 1.0, "upper": 0.72, "lower": 0.62, "digit": 0.64, "space": 0.32, "other": 0.5}
_CELL_MARGINS = Pt(10.8)  # Word's default cell margins, 0.19 cm either side
LABEL_SIZE = 10.5  # points: Normal text, and the header rows
FIT_CAP = 0.35  # a fitted column takes at most this share of the page


def _em(ch: str) -> float:
    if "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef":
        return _EM["cjk"]
    if ch.isspace():
        return _EM["space"]
    if ch.isdigit():
        return _EM["digit"]
    if ch.isalpha():
        return _EM["upper"] if ch.isupper() else _EM["lower"]
    return _EM["other"]


def text_width(text: str, size: float = LABEL_SIZE, bold: bool = False) -> int:
    """The width (EMU) a cell needs to hold ``text`` on one line at ``size`` points, margins included."""
    ems = sum(_em(ch) for ch in text) * (1.08 if bold else 1.0)
    return int(Pt(ems * size) * 1.05) + _CELL_MARGINS


def _longest_word(texts, size: float, bold: bool = False) -> int:
    return max((text_width(word, size, bold) for text in texts for word in text.split()), default=0)


def column_widths(total: int, shares: tuple[float, ...], fitted: dict[int, int]) -> list[int]:
    """Fitted columns get their measured width (capped); the rest share what is left by ``shares``."""
    fixed = {i: min(width, int(total * FIT_CAP)) for i, width in fitted.items()}
    left = total - sum(fixed.values())
    free = [i for i in range(len(shares)) if i not in fixed]
    weight = sum(shares[i] for i in free) or 1.0
    widths = [fixed[i] if i in fixed else int(left * shares[i] / weight) for i in range(len(shares))]
    widths[free[-1] if free else -1] += total - sum(widths)  # rounding: the last free column absorbs it
    return widths


def data_table(doc, section, header: tuple[str, ...], shares: tuple[float, ...], rows=(), font_size=None,
               fit: tuple[int, ...] = (), fitted_widths: dict[int, int] | None = None):
    """A fixed-width table whose shaded header row repeats on every page, one text per cell.

    ``shares`` are the columns' fractions of the usable page width; a column in ``fit``
    is instead as wide as its longest word (bold header or value), so no word breaks;
    ``fitted_widths`` gives such widths measured by the caller (rows added later)."""
    total = _usable_width(section)
    rows = [tuple(values) for values in rows]
    size = font_size.pt if font_size else LABEL_SIZE
    fitted = {i: max(_longest_word([header[i]], LABEL_SIZE, bold=True),
                     _longest_word([values[i] for values in rows], size)) for i in fit}
    fitted.update(fitted_widths or {})
    widths = column_widths(total, shares, fitted)
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


def _metadata_table(doc, translated: TranslatedArticle, section, options: BriefingOptions) -> None:
    """What a reader needs first: where the article comes from and what to check."""
    article = translated.article
    chars = sum(len(re.sub(r"\s", "", b.block.text)) for b in translated.blocks)
    words = sum(len(b.translation.split()) for b in translated.blocks)
    rows = [
        ("Date", article.date or "not stated"),
        ("Source", article.source or "not stated"),
        ("Byline", article.byline or "not stated"),
        ("Length", f"{chars} Chinese characters; {words} English words; "
                   f"{len(translated.blocks)} paragraphs, {len(translated.sentences)} sentences"),
        ("QA flags", _flag_summary(translated)),
        ("Reviewed", _reviewed_summary(translated, options)),
    ]
    if article.source_url:
        rows.insert(2, ("Link", article.source_url))
    label_table(doc, section, rows)


def label_table(doc, section, rows: list[tuple[str, str]]):
    """Two columns, bold labels and their values; the label column as wide as its longest label."""
    total = _usable_width(section)
    label = min(max(text_width(name, LABEL_SIZE, bold=True) for name, _ in rows), int(total * 0.35))
    widths = [label, total - label]
    table = _fixed_table(doc, len(rows), widths)
    for row, (name, value) in zip(table.rows, rows):
        _set_widths(row, widths)
        row.cells[0].text = name
        row.cells[1].text = xml_safe(value)
        for run in row.cells[0].paragraphs[0].runs:
            run.bold = True
        for paragraph in row.cells[1].paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(9)
    return table


def provenance_rows(signature: Signature, generated_at: datetime) -> list[tuple[str, str]]:
    """How a document was made: the same rows in a briefing's and the index's last section."""
    return [
        ("Generated", f"{generated_at.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC by briefing {signature.version}"),
        ("Model", f"{signature.model_id} (revision {signature.model_revision})"),
        ("Normalisation", f"OpenCC {signature.opencc_config}"),
        ("Glossary", f"{signature.glossary_entries} entries, hash {signature.glossary_hash}"),
        ("Decoding", f"{signature.decoding}; source terms {signature.source_terms}; numbers {signature.numbers}"),
        ("Signature", signature.short()),
    ]


def _about(doc, translated: TranslatedArticle, signature: Signature, generated_at: datetime, section,
           options: BriefingOptions) -> None:
    """The last section: provenance, for whoever needs to reproduce or audit the briefing."""
    article = translated.article
    doc.add_heading(ABOUT_HEADING, level=1)
    rows = [("Original file", f"{article.path.name} ({article.encoding})")]
    if options.author:
        rows.append(("Prepared by", options.author))
    label_table(doc, section, rows + provenance_rows(signature, generated_at))


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
               [(target, "、".join(sorted(sources)), str(n)) for target, (sources, n) in ranked], fit=(2,))


KEY_FIGURES = 10


def _key_figures(doc, translated: TranslatedArticle, section) -> None:
    """The article's enforced figures (dates aside), each once, in the order they appear."""
    doc.add_heading("Key figures", level=2)
    seen: dict[str, str] = {}
    for s in translated.sentences:
        for t in s.terms:
            if t.kind == "number" and t.target and not t.unsure and t.unit != "date":
                seen.setdefault(t.target, t.source)
    if not seen:
        doc.add_paragraph("No figures were enforced in this article.")
        return
    shown = list(seen.items())[:KEY_FIGURES]
    data_table(doc, section, ("English", "原文"), (0.5, 0.5), shown)
    if len(seen) > len(shown):
        doc.add_paragraph(f"{len(seen) - len(shown)} more in the appendix (Figures).")


def _body_table(doc, translated: TranslatedArticle, options: BriefingOptions, section) -> list:
    """The side-by-side table; returns the manifest rows (one per table row, in order)."""
    from pipeline.review.manifest import Row

    units = [(b, tblock, unit) for b, tblock in enumerate(translated.blocks, start=1)
             for unit in _row_units(b, tblock, options.align)]
    table, widths = data_table(doc, section, BODY_HEADER, (0.46, 0.46, 0.08),
                               fitted_widths={2: _id_width([unit[0] for _, _, unit in units])})
    manifest_rows = []
    for b, tblock, (row_id, original, english, sentences, reviewed) in units:
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


def _row_units(b: int, tblock, align: str) -> list[tuple]:
    """(row id, original, English, sentences, reviewed) for each row of one paragraph."""
    if align == "sentence":
        return [(f"{b}.{i}", s.original, s.translation, [s], s.reviewed)
                for i, s in enumerate(tblock.sentences, start=1)]
    return [(str(b), tblock.block.text, tblock.translation, tblock.sentences, tblock.reviewed)]


ID_SIZE, MARK_SIZE = 7, 6  # points: the row id and the reviewed mark under it


def _id_width(row_ids: list[str]) -> int:
    """The ID column holds its header, the longest id and the reviewed mark, each unbroken."""
    return max([text_width(BODY_HEADER[-1], LABEL_SIZE, bold=True), text_width(REVIEWED_MARK, MARK_SIZE, bold=True)]
               + [text_width(row_id, ID_SIZE) for row_id in row_ids])


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
    run.font.size = Pt(ID_SIZE)
    run.font.color.rgb = ID_GREY
    if reviewed:
        mark = cell.add_paragraph().add_run(REVIEWED_MARK)
        mark.font.size = Pt(MARK_SIZE)
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


def _occurrences(text: str, term: tuple[str, tuple[str, ...]]) -> list[tuple[int, int]]:
    """English through the one presence test (AI is not found inside OpenAI); Chinese
    sources as written (they were matched in this very text)."""
    from pipeline.translate.presence import find_spans

    word, variants = term
    if word[:1].isascii():
        return list(find_spans(word, text, variants))
    spans, start = [], text.find(word)
    while start >= 0:
        spans.append((start, start + len(word)))
        start = text.find(word, start + len(word))
    return spans


def _term_spans(text: str, terms) -> list[tuple[int, int]]:
    """The span to bold for each term: its first occurrence only (a term repeated
    20 times in a paragraph is marked once).  Longest terms first, and a later
    occurrence of a longer term still hides a shorter one inside it (Hon Hai inside
    Hon Hai (Foxconn) is not a first occurrence of Hon Hai)."""
    pairs = [t if isinstance(t, tuple) else (t, ()) for t in terms]
    taken: list[tuple[int, int]] = []
    bold: list[tuple[int, int]] = []
    for term in sorted(pairs, key=lambda p: -len(p[0])):
        free = [(s, e) for s, e in _occurrences(text, term) if not any(a < e and s < b for a, b in taken)]
        taken.extend(free)
        bold.extend(free[:1])
    return sorted(bold)


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
        data_table(doc, section, ("Flag", "Reason", "Sentence"), (0.14, 0.43, 0.43),
                   [(flag.name, flag.reason, sentence.original) for flag, sentence in flagged], fit=(0,))
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


FIGURE_HEADER = ("English", "原文", "Reads as", "In the English")
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def reads_as(term) -> str:
    """What the number stage understood, in words a reader checks against the English:
    a full ISO date, or for a date the article gives in part, that it is as written;
    for a quantity its unit (the English column prints the figure itself)."""
    if term.unit == "date":
        if _FULL_DATE.fullmatch(term.value or ""):
            return term.value
        return "date as written (no year)" if (term.value or "").startswith("--") else "date as written"
    return term.unit or "number"


def printed(term, translation: str) -> str:
    """The figure as the English prints it (an accepted form: "up to" for "as much as"),
    else the English it required; "not enforced" when there was none."""
    from pipeline.translate.presence import find_spans

    if not term.target:
        return "not enforced"
    spans = find_spans(term.target, translation, term.variants, kind="number")
    return translation[spans[0][0]:spans[0][1]] if spans else term.target


def _figures(doc, translated: TranslatedArticle, section) -> None:
    """Every figure the number stage read: the English as printed, the source, what it reads as."""
    doc.add_heading("Figures", level=2)
    figures = [(s, t) for s in translated.sentences for t in s.terms if t.kind == "number"]
    if not figures:
        doc.add_paragraph("No figures.")
        return
    rows = [(printed(t, s.translation), t.source, reads_as(t),
             "unsure" if t.unsure else "yes" if t.found else "MISSING") for s, t in figures]
    data_table(doc, section, FIGURE_HEADER, (0.3, 0.24, 0.3, 0.16), rows, fit=(3,))


def _unsure(doc, translated: TranslatedArticle, section) -> None:
    """Terms and figures found but not enforced (term-unsure, number-unsure): a reviewer checks these."""
    doc.add_heading("Terms and figures to check", level=2)
    items = [(s, t) for s in translated.sentences for t in s.terms if t.unsure]
    if not items:
        doc.add_paragraph("None: every term and figure found was enforced.")
        return
    data_table(doc, section, ("Kind", "原文", "Why not enforced", "Sentence"), (0.12, 0.16, 0.34, 0.38),
               [(f"{t.kind}-unsure", t.source, t.unsure, s.original) for s, t in items], fit=(0,))


def _source_lines(doc, title: str, lines, section) -> None:
    """Author lines kept verbatim outside the body: line number, why, the text."""
    doc.add_heading(title, level=2)
    if not lines:
        doc.add_paragraph("None.")
        return
    data_table(doc, section, ("Line", "Kind", "Text"), (0.08, 0.2, 0.72),
               [(str(line.line), line.reason, line.text) for line in lines], fit=(0,))
