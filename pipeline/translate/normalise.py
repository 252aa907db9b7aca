"""Script normalisation with OpenCC (the official ``opencc`` package).

The left column keeps the author's Traditional text; the model reads the
normalised text.  The default is ``tw2sp``: opus-mt-zh-en was trained mostly on
Simplified Chinese (its published FLORES-200 score is 22.5 BLEU from Simplified
against 20.2 from Traditional), and ``tw2sp`` also maps Taiwan vocabulary
(軟體→软件, 資料中心→数据中心) to the forms the model saw in training.  It
rewrites names too (輝達→英伟达), which is why glossary matching runs on the
original text, before this stage.

OpenCC finds its phrases by longest match from the left, blind to words, so a
phrase can match across a word boundary and turn ordinary text into another
word: 光輝達到 (the glory reaches) became 光英伟达到 (輝達→英伟达, Nvidia),
海岸線上 (on the coastline) 海岸在线 (線上→在线, online), 其他資料包括 (other
data include) 其他数据报括 (資料包→数据报, datagram).  So a phrase rewrite is
kept only where the phrase OpenCC matched lies inside one word or covers whole
words, as jieba's segmenter sees the sentence (``pipeline.glossary.words``, the
boundaries glossary matching uses); where it crosses a word boundary, the text
is converted on each side of that boundary separately (光輝|達到 → 光辉达到,
資料|包括 → 数据包括).  Every config is treated so: t2s's own phrase table
matches across words too (僅限於單純 → 仅限於单纯, by the surname entry 於單).
A sentence with no phrase rewrite (half the seeds')
costs one OpenCC call and a memoised character check; one with rewrites, a
jieba segmentation and a few OpenCC calls on parts of it (about 55 µs a seed
sentence on average against 15 µs for OpenCC alone:
``python tests/data/normalise/timing.py``).  Where jieba cuts inside a word
a good rewrite is lost (軟硬體: jieba 软硬|体, so 软硬体, not 软硬件); the cases
and their sources are in tests/data/normalise/SOURCE.md.

Output length: phrase conversions change length (輝達→英伟达), so offsets in
the normalised text are not offsets in the original; ``ScriptFolder`` is the
one-to-one fold for that.
"""

from __future__ import annotations

from pipeline.errors import BriefingError

DEFAULT_OPENCC_CONFIG = "tw2sp"
KNOWN_CONFIGS = ("t2s", "tw2s", "tw2sp", "hk2s", "s2t", "s2tw", "s2twp", "t2tw", "none")


class Normaliser:
    """Converts text with one OpenCC configuration, keeping a phrase rewrite only
    where it respects the sentence's word boundaries; ``none`` passes text through."""

    def __init__(self, config: str = DEFAULT_OPENCC_CONFIG):
        self.config = config.removesuffix(".json")
        self._char_memo: dict[str, str] = {}
        self._fold: ScriptFolder | None = None  # made on the first phrase rewrite (segmentation runs on folded text)
        if self.config == "none":
            self._converter = None
            return
        try:
            import opencc
        except ImportError as err:  # pragma: no cover - opencc is a core dependency
            raise BriefingError(f"OpenCC is not installed ({err}); pip install opencc") from None
        if not hasattr(opencc.OpenCC, "convert"):
            # opencc-python-reimplemented installs the same module name with other output
            raise BriefingError("the installed 'opencc' module is not the official OpenCC package; pip install opencc")
        try:
            self._converter = opencc.OpenCC(self.config)
        except Exception:
            raise BriefingError(
                f"unknown OpenCC config '{self.config}' (try one of: {', '.join(KNOWN_CONFIGS)})"
            ) from None

    def __call__(self, text: str) -> str:
        text = unify_ideographs(text)
        if _has_surrogates(text):  # OpenCC takes UTF-8; a lone surrogate cannot be encoded
            text = "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)
        if self._converter is None:
            return text
        converted = self._converter.convert(text)
        chars = [self._convert_char(ch) for ch in text]
        if converted == "".join(chars):
            return converted  # no phrase rewrote anything: nothing can have crossed a word
        check = _PhraseCheck(text, self._converter.convert, chars, self._segmentation(text))
        return check.settle(0, len(text), converted)

    def _convert_char(self, ch: str) -> str:
        """``ch`` converted on its own: what the text would be if no phrase matched."""
        converted = self._char_memo.get(ch)
        if converted is None:
            converted = self._char_memo[ch] = self._converter.convert(ch)
        return converted

    def _segmentation(self, text: str):
        """jieba's words of ``text``, on its script-folded form like glossary matching's."""
        from pipeline.glossary.words import Segmentation

        if self._fold is None:
            self._fold = ScriptFolder()
        return Segmentation(self._fold(text))


_LONG_SPAN = 200  # characters; a sentence is shorter, a whole article longer


class _PhraseCheck:
    """Keeps OpenCC's phrase rewrites of one text that respect its word boundaries.

    ``settle(start, end, converted)`` returns the conversion of ``text[start:end]``,
    given OpenCC's (``converted``).  A span whose conversion equals its
    character-by-character conversion has no phrase rewrite; a span with no word
    boundary inside is one word, whose own phrases stand (資料庫→数据库).
    Otherwise take the word boundary b next to the first rewritten character.
    If converting each side of b separately gives the same text, no rewrite
    crosses b: each side is settled on its own.  If not, a phrase crosses b.
    Its extent is found from the cuts that leave the conversion unchanged
    (OpenCC matches longest-first from the left, so splitting at the edge of a
    match changes nothing and splitting inside one does).  A phrase from word
    boundary to word boundary stands (行動電話 over 行动|电话); any other is
    undone by converting the two sides of b separately (光輝|達到).  A sentence
    with k rewrites costs about 2k extra OpenCC calls on parts of it.
    """

    def __init__(self, text: str, convert, chars: list[str], segmentation):
        self.text = text
        self.convert = convert
        self.chars = chars
        self.segmentation = segmentation
        self._cut_memo: dict[int, bool] = {}

    def settle(self, start: int, end: int, converted: str) -> str:
        # Spans wait on a stack, leftmost on top, so the output comes out in order
        # and a long text with many rewrites needs no deep recursion.
        out: list[str] = []
        pending = [(start, end, converted, False)]
        while pending:
            start, end, converted, final = pending.pop()
            pieces = [] if final else self._split(start, end, converted)
            if pieces:
                pending.extend(reversed(pieces))
            else:
                out.append(converted)
        return "".join(out)

    def _split(self, start: int, end: int, converted: str) -> list[tuple[int, int, str, bool]]:
        """The parts ``text[start:end]`` must be converted in, or [] when ``converted`` stands."""
        first_change = self._first_change(start, end, converted)
        if first_change == end:
            return []
        # Next to the first rewrite, so the unchanged text before it is done with at once;
        # in a long span, the middle, so each side is converted O(log n) times, not O(n).
        b = self._cut_next_to(start, end, first_change if end - start <= _LONG_SPAN else (start + end) // 2)
        if b is None:
            return []  # one word: its own conversion
        left, right = self.convert(self.text[start:b]), self.convert(self.text[b:end])
        if left + right != converted:
            first, last = self._extent(start, end, b, converted)
            if self._is_cut(first, start, end) and self._is_cut(last, start, end):
                return [(start, first, self.convert(self.text[start:first]), False),
                        (first, last, self.convert(self.text[first:last]), True),
                        (last, end, self.convert(self.text[last:end]), False)]
        return [(start, b, left, False), (b, end, right, False)]

    def _first_change(self, start: int, end: int, converted: str) -> int:
        """The first character of ``text[start:end]`` not converted as on its own (``end`` if none)."""
        if converted == "".join(self.chars[start:end]):
            return end
        at = 0
        for i in range(start, end):
            if not converted.startswith(self.chars[i], at):
                return i
            at += len(self.chars[i])
        return end - 1  # a phrase's conversion went beyond the characters' (longer than they are)

    def _cut_next_to(self, start: int, end: int, position: int) -> int | None:
        """The word boundary inside (start, end) at or before ``position``, else the first after it."""
        for i in range(min(position, end - 1), start, -1):
            if self._is_cut(i, start, end):
                return i
        return next((i for i in range(position + 1, end) if self._is_cut(i, start, end)), None)

    def _is_cut(self, position: int, start: int, end: int) -> bool:
        """Is ``position`` a word boundary (the span's own edges count)?"""
        if position in (start, end):
            return True
        cut = self._cut_memo.get(position)
        if cut is None:
            cut = self._cut_memo[position] = self.segmentation.word_across(position) is None
        return cut

    def _splits_cleanly(self, start: int, end: int, at: int, converted: str) -> bool:
        return at in (start, end) or self.convert(self.text[start:at]) + self.convert(self.text[at:end]) == converted

    def _extent(self, start: int, end: int, b: int, converted: str) -> tuple[int, int]:
        """The span of the phrase that crosses ``b``: the nearest clean cuts either side."""
        first = next(i for i in range(b - 1, start - 1, -1) if self._splits_cleanly(start, end, i, converted))
        last = next(i for i in range(b + 1, end + 1) if self._splits_cleanly(start, end, i, converted))
        return first, last


def _has_surrogates(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


# CJK Radicals Supplement (U+2E80-U+2EFF) -> the unified ideograph each one stands for.  NFKC
# folds only two of them, so the table comes from the Unicode Character Database's
# EquivalentUnifiedIdeograph.txt (14.0.0, (c) Unicode, Inc., Unicode License; 114 lines,
# U+2E81..U+2EF3; https://www.unicode.org/Public/UCD/latest/ucd/EquivalentUnifiedIdeograph.txt).
_RADICALS_SUPPLEMENT = str.maketrans(
    "⺁⺂⺃⺄⺅⺆⺇⺈⺉⺊⺋⺌⺍⺎⺏⺐⺑⺒⺓⺔⺕⺖⺗⺘⺙⺛⺜⺝⺞⺟⺠⺡⺢⺣⺤⺥⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺱⺲⺳⺴⺵⺶⺷⺸⺹⺺⺻⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻆⻇⻈⻉⻊⻋⻌⻍⻎⻏⻐⻑⻒⻓⻔⻕⻖⻗⻘⻙⻚⻛⻜⻝⻞⻟⻠⻡⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
    "厂乛乚乙亻冂𠘨刀刂卜㔾小小兀尣尢𡯂巳幺彑彐忄心扌攵旡日月歺母民氵氺灬爫爫丬牛犭王𤴔目示礻𥫗糹纟罓罒㓁冗𦉫羊𦍌𦍋耂肀聿肉𦥑艹艹艹虎衤覀西见角𧢲讠贝𧾷车辶辶辶邑钅長镸长门𨸏阝雨青韦页风飞食𩙿飠饣𩠐马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟",
)


def unify_ideograph(ch: str) -> str:
    """One character as the ordinary ideograph it stands for, always one character.

    Text pasted from PDFs brings Kangxi radicals, radicals-supplement forms and
    compatibility ideographs in place of characters (⾧ U+2FA7 for 長 in one
    seed).  They look the same but match nothing: not the glossary, not the
    model's vocabulary.  Kangxi radicals and compatibility ideographs fold with
    NFKC; the radicals supplement with the table above.  One character in, one
    out, so offsets in unified text are offsets in the author's text.
    """
    o = ord(ch)
    if 0x2E80 <= o <= 0x2EFF:
        return ch.translate(_RADICALS_SUPPLEMENT)
    if 0x2F00 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F:
        import unicodedata

        folded = unicodedata.normalize("NFKC", ch)
        return folded if len(folded) == 1 else ch
    return ch


def unify_ideographs(text: str) -> str:
    """``unify_ideograph`` over a text (same length as the text)."""
    return "".join(unify_ideograph(ch) for ch in text)


class ScriptFolder:
    """Folds Traditional and Simplified spellings onto one key, character by character.

    Glossary matching compares folded text with folded terms, so 鴻海, 鸿海 and
    the mixed Taiwan spelling 台積電 vs 臺積電 all match one entry, and so do
    OpenAI, OPENAI and full-width ＯｐｅｎＡＩ.  Folding is
    one character to one character, so a match's offsets in the folded text
    are its offsets in the original.  Character-level only: phrase configs
    would turn 輝達 into 英伟达.
    """

    def __init__(self) -> None:
        import opencc

        self._t2s = opencc.OpenCC("t2s")
        self._memo: dict[str, str] = {}

    def fold_char(self, ch: str) -> str:
        folded = self._memo.get(ch)
        if folded is None:
            o = ord(ch)
            if 0xFF01 <= o <= 0xFF5E:  # full-width Latin (ＯｐｅｎＡＩ) is the ASCII name
                ch_ascii = chr(o - 0xFEE0)
                folded = ch_ascii.lower() if ch_ascii.isalpha() else ch_ascii
            elif ch.isascii():
                folded = ch.lower()  # Latin names match whatever the capitalisation
            elif 0xD800 <= o <= 0xDFFF:
                folded = ch  # a lone surrogate is no character OpenCC can read
            else:
                ch = unify_ideograph(ch)  # ⾧ (Kangxi radical) is 長, and so matches 長
                converted = self._t2s.convert(ch) if ord(ch) > 0x2E7F else ch
                folded = converted if len(converted) == 1 else ch
            self._memo[ch] = folded
        return folded

    def __call__(self, text: str) -> str:
        return "".join(self.fold_char(ch) for ch in text)
