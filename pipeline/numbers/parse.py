"""The value of one numeral as Taiwan news writes it, read with cn2an.

Arabic, Chinese and formal (cheque) numerals in any mix with 萬/億/兆:
1億2千萬, 2萬3456, 2千5百億, 3.5萬, 貳拾萬, 一百二十萬零五百.  cn2an does the
reading; this module only splits off 兆 (cn2an stops at 億) and the spoken
"2萬8" (= 28,000) form, and refuses digit-by-digit strings (一一, 二〇二五),
which in news are words or years, not amounts.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Full-width digits and signs, mapped one character to one so that offsets in
# the folded copy are offsets in the article.
_FOLD = str.maketrans("０１２３４５６７８９％．－～／", "0123456789%.-~/")  # not ，: a clause break

CN_DIGITS = "零〇一二兩两三四五六七八九壹貳贰參叁叄肆伍陸柒捌玖廿"
CN_PLACES = "十百千拾佰仟"
CN_MAGNITUDES = "萬万億亿兆"
_NONZERO = set(CN_DIGITS) - set("零〇")
# A space between Arabic digits and a Chinese place or magnitude (台積電營收 3 千萬元,
# 市值 3 兆 5 千億元: Taiwan tech media space Latin from Chinese) is folded to this
# mark, one character for one, so the numeral reads whole.
JOIN = "\u2060"
# One numeral: Arabic groups, Chinese digits, places and magnitudes, and the
# Chinese decimal point between Chinese digits (三點五).
NUMERAL = re.compile(
    rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{CN_DIGITS}{CN_PLACES}{CN_MAGNITUDES}{JOIN}]|[點点](?=[{CN_DIGITS}]))+")
_SPACED = re.compile(rf"(?<=\d)[ \u00a0\u2009\u3000](?=[{CN_PLACES}{CN_MAGNITUDES}])"
                     rf"|(?<=[{CN_PLACES}{CN_MAGNITUDES}])[ \u00a0\u2009\u3000](?=\d)")
_SPOKEN_TAIL = re.compile(rf"^(?P<head>.*\d.*[{CN_MAGNITUDES}])(?P<digit>\d|[{CN_DIGITS}])$")
_LAST_SCALE = re.compile(rf"(?:\d|[{CN_DIGITS}])(?P<scale>[{CN_PLACES}{CN_MAGNITUDES}]+)$")
_TRILLION = 10**12


def fold(text: str) -> str:
    return _SPACED.sub(JOIN, text.translate(_FOLD))


def has_digit(numeral: str) -> bool:
    """True when the numeral names a count (3千, 三千), not only a place (千萬, 百)."""
    return any(ch.isdigit() or ch in _NONZERO for ch in numeral)


def magnitude_of(numeral: str) -> int:
    """The power of ten that closes the numeral (億 in 5億, 1 in 500)."""
    last = numeral[-1]
    return {"萬": 10**4, "万": 10**4, "億": 10**8, "亿": 10**8, "兆": _TRILLION}.get(last, 1)


def read_value(numeral: str) -> Decimal | None:
    """The numeral's value, or None when it is not an amount (一一, 萬一, 千萬 alone is fine: 10,000,000)."""
    numeral = numeral.replace(",", "").replace(JOIN, "")
    if re.fullmatch(r"\d+(?:\.\d+)?", numeral):
        return Decimal(numeral)
    if spoken := _SPOKEN_TAIL.match(numeral):  # 2萬8, 1億2, 2千萬5, 1兆二: the digit is the next place down
        head, digit = read_value(spoken["head"]), read_value(spoken["digit"])
        last = _LAST_SCALE.search(spoken["head"])
        scale = read_value("1" + last["scale"]) if last else None
        if head is None or digit is None or scale is None:
            return None
        return head + digit * scale / 10
    if "兆" in numeral:  # cn2an stops at 億
        high, _, low = numeral.partition("兆")
        high_value = read_value(high) if high else None  # 兆元公司: a bare 兆 is a word, not one trillion
        low_value = read_value(low.lstrip("零〇")) if low.strip("零〇") else Decimal(0)
        if high_value is None or low_value is None or "兆" in low:
            return None
        return high_value * _TRILLION + low_value
    return _cn2an(numeral)


def _cn2an(numeral: str) -> Decimal | None:
    import cn2an  # a maintained reader of Chinese numerals (MIT)

    is_chinese = not any(ch.isdigit() for ch in numeral)
    if is_chinese and len(numeral) > 1 and not any(ch in CN_PLACES + CN_MAGNITUDES + "點点廿" for ch in numeral):
        return None  # 一一, 二〇二五: digits read one by one are words or years here
    if numeral[0] in CN_MAGNITUDES:
        return None  # 萬一 ("in case"), 億萬: a magnitude needs a count before it
    if numeral[0] in CN_PLACES:
        numeral = "一" + numeral  # 千萬 is 一千萬; cn2an wants the leading one
    numeral = numeral.replace("兩", "二").replace("两", "二").replace("點", "点")
    result = None
    for mode in ("normal", "strict") if is_chinese else ("smart",):  # strict knows 廿
        try:
            result = cn2an.cn2an(numeral, mode)
            break
        except (ValueError, KeyError, IndexError):
            continue
    if result is None:
        return None
    try:
        return Decimal(str(result))
    except InvalidOperation:
        return None


def plain(value: Decimal) -> str:
    """A plain decimal string: 2.50E+11 -> 250000000000, 61.80 -> 61.8."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
