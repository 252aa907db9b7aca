"""Script normalisation with OpenCC (the official ``opencc`` package).

The left column keeps the author's Traditional text; the model reads the
normalised text.  The default is ``tw2sp``: opus-mt-zh-en was trained mostly on
Simplified Chinese (its published FLORES-200 score is 22.5 BLEU from Simplified
against 20.2 from Traditional), and ``tw2sp`` also maps Taiwan vocabulary
(軟體→软件, 資料中心→数据中心) to the forms the model saw in training.  It
rewrites names too (輝達→英伟达), which is why glossary matching runs on the
original text, before this stage.
"""

from __future__ import annotations

from pipeline.errors import BriefingError

DEFAULT_OPENCC_CONFIG = "tw2sp"
KNOWN_CONFIGS = ("t2s", "tw2s", "tw2sp", "hk2s", "s2t", "s2tw", "s2twp", "t2tw", "none")


class Normaliser:
    """Converts text with one OpenCC configuration; ``none`` passes text through."""

    def __init__(self, config: str = DEFAULT_OPENCC_CONFIG):
        self.config = config.removesuffix(".json")
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
        return self._converter.convert(text) if self._converter else text

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
