"""What the words around a figure say it is: the last decisions before a figure is enforced.

The grammar in ``figures.py`` reads an expression; the sentence around it can
still make it something else.  Each check here is one small function that
returns the figure as it should be read, an unsure figure (with a reason a
reader can act on), or None (no figure at all):

* ``idiom``: 一成不變, 二元對立, 千萬不要 are words (the tables' idioms, and
  the segmenter's word across the figure's edge when jieba tags it an idiom);
* ``cut_word``: a figure that ends or starts inside another word (2萬3456點位
  is fine, 3億元大 is not sure);
* ``fu``: 負 before a figure is a minus sign, or the verb "bear" (須負7成賠償責任);
* ``times``: 增加2.3倍 is an increase by 230%, 增加一倍 "doubled", 是2.3倍 "2.3 times";
* ``adverb_tenths``: 他八成沒看過 ("he probably has not seen it");
* ``ticker``: 2886兆豐金 is the ticker of 兆豐金, not 2,886 trillion.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.numbers.figure import Figure
from pipeline.numbers.parse import plain
from pipeline.numbers.tables import NumberTables
from pipeline.numbers.words import WordBoundaries

# jieba tags of words a figure may run into: numerals with their measure words
# (万个, 数千年), times (月底, 万年前) and abbreviations (日共 of 31日共值).
_HARMLESS_TAGS = frozenset({"m", "mq", "t", "j"})
_IDIOM_TAGS = frozenset({"i"})  # chengyu; "l" (fixed phrases) also tags 增加一倍


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


class Readings:
    """The decisions for the figures of one (folded) sentence."""

    def __init__(self, tables: NumberTables, words: WordBoundaries, text: str, tickers=None):
        self.tables, self.words, self.text, self.tickers = tables, words, text, tickers

    def decide(self, figure: Figure) -> Figure | None:
        for check in (self.ticker, self.idiom, self.fu, self.times, self.adverb_tenths, self.cut_word):
            figure = check(figure)
            if figure is None:
                return None
        return figure

    # -- the checks
    def ticker(self, figure: Figure) -> Figure | None:
        """2886兆豐金: a listed company's code written beside its own name is no amount;
        a four-digit number before another listed name (1234兆豐金) is not sure."""
        if self.tickers is None:
            return figure
        start = next((i for i in range(figure.start, figure.end) if self.text[i].isdigit()), None)
        if start is None:
            return figure
        end = start
        while end < len(self.text) and self.text[end].isdigit():
            end += 1
        if self.tickers.ticker_at(self.text, end) is not None:
            return None
        if figure.kind == "measure":
            return figure  # 3500兆赫 is a frequency, unless 3500 is 兆赫's own code (above)
        other = self.tickers.company_after(self.text, end, glued=self.words.is_word) if end - start == 4 else None
        if other is not None and end < figure.end:
            return replace(figure, unsure=f"{self.text[start:end]} before the listed name {other.name} "
                                          f"({other.code}): a ticker or an amount")
        return figure

    def idiom(self, figure: Figure) -> Figure | None:
        text = self.text
        for idiom in self.tables.idioms:
            at = text.find(idiom, max(0, figure.start - len(idiom) + 1))
            while at != -1 and at < figure.end:
                if at + len(idiom) > figure.start:
                    return None
                at = text.find(idiom, at + 1)
        for edge in (figure.start, figure.end):
            across = self.words.word_across(text, edge)
            if across is not None and across[1] in _IDIOM_TAGS:
                return None
        return figure

    def cut_word(self, figure: Figure) -> Figure | None:
        if figure.unsure:
            return figure
        for edge in (figure.start, figure.end):
            across = self.words.word_across(self.text, edge)
            if across is not None and across[1] not in _HARMLESS_TAGS:
                shown = self.text[max(0, edge - len(across[0]) + 1):edge + len(across[0]) - 1]
                return replace(figure, unsure=f"{self.text[figure.start:figure.end]} runs into the word "
                                              f"{across[0]} ({shown}): not sure where the figure ends")
        return figure

    def fu(self, figure: Figure) -> Figure | None:
        """負 before the numeral: a minus sign after a number word, a rate or a verb of
        being (年增率負3%, EPS為負0.5元); the verb "bear" before 責/賠償
        (須負7成賠償責任 is 70%); anything else is not sure."""
        at = figure.fu
        if at < 0:
            return figure
        before = self.text[:at]
        if any(self.text.startswith(w, figure.end) for w in self.tables.bear_after):
            start = at + 1 if figure.start == at else figure.start
            return replace(figure, start=start, value=-figure.value, high=None if figure.high is None else -figure.high,
                           written=figure.written.lstrip("-"), fu=-1)
        if not before or not _is_han(before[-1]) or before.endswith(self.tables.sign_before):
            return figure
        source = self.text[figure.start:figure.end]
        return replace(figure, unsure=f"負 in {source}: a minus sign, or the verb 'bear' (負責)")

    def times(self, figure: Figure) -> Figure | None:
        """倍 after a verb of increase is an increase BY: 增加2.3倍 = 230%, 增加一倍 = doubled."""
        if figure.kind != "times" or figure.unsure:
            return figure
        verb = self._verb_before(figure.start)
        one = figure.value == 1 and figure.high is None
        if not verb and self._compared(figure.start):
            return replace(figure, unsure="比…高/多/快 N倍: N or N+1 times the base; usage varies")
        if verb in ("達", "達到") and self._verb_before(figure.start - len(verb)) in self.tables.increase_verbs \
                or self.text[:figure.start].endswith(self.tables.increase_nouns_reaching):
            return replace(figure, unsure="成長達N倍: an increase by N x 100% or to N times, not certain")
        if not verb and self._unknown_verb(figure.start):
            return replace(figure, unsure="N倍 after a verb the reader does not know: by or to N times, not certain")
        if verb in self.tables.decrease_verbs:
            return replace(figure, unsure=f"{verb}…倍: a decrease in multiples has no sure reading")
        if verb in self.tables.comparison_verbs:
            return replace(figure, unsure=f"{verb}…倍: N or N+1 times the base; usage varies")
        if verb in self.tables.to_verbs or not verb:
            return replace(figure, unsure="一倍 with no verb of increase: 'once' or 'double'") if one else figure
        source = self.text[figure.start:figure.end]
        if verb.startswith("翻") and not one:
            return replace(figure, unsure=f"{verb}{source}: doubled how many times is not sure")
        if (figure.high or figure.value) >= 10:  # 提升百倍: at this size writers mean "N times" as often as "by N x 100%"
            return replace(figure, unsure=f"{verb}{source}: an increase by {plain(figure.value * 100)}% or to "
                                          f"{plain(figure.value)} times; usage varies for large multiples")
        if one and not figure.qualifier and verb in self.tables.doubling_verbs:
            return replace(figure, kind="doubled", start=figure.start - len(verb))
        percent = figure.value * 100
        high = None if figure.high is None else figure.high * 100
        return replace(figure, kind="percent", value=percent, high=high, written=plain(percent),
                       written_high="" if high is None else plain(high))

    def adverb_tenths(self, figure: Figure) -> Figure | None:
        """八成 in Chinese numerals after a pronoun or before a negation or modal is
        the adverb "probably" (他八成沒看過), as likely as 80%."""
        source = self.text[figure.start:figure.end]
        chinese_share = "成" in source or "百分之" in source  # 我百分之百支持: "completely"
        if figure.kind != "percent" or not chinese_share or any(ch.isdigit() for ch in source) or figure.unsure:
            return figure
        if figure.qualifier:
            return figure  # 八成以上, 約八成: only a share takes a qualifier
        before, after = self.text[:figure.start], self.text[figure.end:]
        predicate = after[:1] and _is_han(after[0]) and after[0] not in self.tables.share_followers \
            and not before.endswith(self.tables.share_before)  # 聯準會9月八成降息: "probably cuts"
        if before.endswith(self.tables.adverb_tenths_before) or after.startswith(self.tables.adverb_tenths_after) \
                or predicate:
            return replace(figure, unsure=f"{source} may be an adverb ('probably', 'completely'), not a share")
        return figure

    def _verb_before(self, at: int) -> str:
        """The verb right before ``at`` (漲了 is 漲: the aspect 了 says nothing of the amount)."""
        verbs = (*self.tables.increase_verbs, *self.tables.to_verbs, *self.tables.decrease_verbs,
                 *self.tables.comparison_verbs)
        for before in (self.text[:at], self.text[:at].removesuffix("了")):
            found = max((v for v in verbs if before.endswith(v)), key=len, default="")
            if found:
                return found
        return ""

    def _compared(self, at: int) -> bool:
        """比舊款高3倍, 比去年貴2倍: a comparison (比 earlier in the clause, an adjective before the figure)."""
        before = self.text[:at]
        return bool(before) and before[-1] in self.tables.comparison_adjectives  # 速度快3倍 compares too

    def _unknown_verb(self, at: int) -> bool:
        """A verb the tables do not list stands right before the figure (股價飆3倍?)."""
        word = self.words.word_before(self.text, at)
        return word is not None and word[3].startswith("v") and word[2] not in ("是", "为", "為", "有", "占", "达")
