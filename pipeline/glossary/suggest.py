"""``briefing glossary suggest``: mine candidate entries the glossary lacks.

Signals, strongest first: an English name in brackets after a Chinese one
(輝達（NVIDIA）), Chinese in brackets after English (circular financing（循環融資）),
Latin-script names, and names after a job title (董事長劉揚偉) that recur.
Output is CSV in the glossary's own columns, ready to paste; rows whose
English is unknown have an empty target, which ``glossary check`` rejects
until an editor fills it in.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pipeline.errors import InputError
from pipeline.glossary import COLUMNS, Glossary
from pipeline.ingest.readers import read_input
from pipeline.translate.normalise import ScriptFolder

_CJK = r"[\u3400-\u9fff]"
_LATIN_NAME = r"[A-Za-z][A-Za-z0-9&.'’\-]*(?: [A-Za-z0-9&.'’\-]+){0,5}"
_ZH_THEN_EN = re.compile(rf"({_CJK}{{2,16}})[」』]?\s*[（(]\s*({_LATIN_NAME})\s*[)）]")
_EN_THEN_ZH = re.compile(rf"({_LATIN_NAME})\s*[（(]\s*({_CJK}{{2,12}})\s*[)）]")
_CAPITALISED = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9]*[A-Z0-9a-z](?: [A-Z][a-z]+){0,2})(?![A-Za-z0-9])")
_TITLES = "董事長|執行長|總統|部長|理事長|社長|首相|院長|副院長|總監|分析師|副總監|總經理|數位長|創辦人|記者"
_TITLE_NAME = re.compile(rf"(?:{_TITLES})({_CJK}{{2,3}})")
# Function words and verbs that end the words before a name: 從輝達 -> 輝達.
_PARTICLES = set("的了是在與和及對為將把被從到由以於讓向跟、")
_LEADING_TITLE = re.compile(rf"^(?:{_TITLES})")
# Common Taiwanese surnames: a name after a title must start with one.
_SURNAMES = set("王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董袁潘于蔣蔡余杜葉程蘇魏呂丁任沈姚盧姜崔鍾譚陸汪范金石廖賈夏韋方白鄒孟熊秦邱江尹薛閻段雷侯龍史陶黎賀顧毛郝龔邵萬錢嚴武戴莫孔湯柯卓賴洪詹施翁游簡")


@dataclass
class Suggestion:
    source: str
    target: str
    category: str
    count: int = 0
    example: str = ""
    signals: set[str] = field(default_factory=set)


def suggest(paths: Iterable[Path], glossary: Glossary, min_count: int = 1) -> tuple[list[Suggestion], list[str]]:
    fold = ScriptFolder()
    known = {fold(s) for e in glossary.entries for s in e.spellings} | {e.target.casefold() for e in glossary.entries}
    sentences: list[str] = []
    problems: list[str] = []
    for path in paths:
        try:
            article = read_input(path)
        except InputError as err:
            problems.append(str(err))
            continue
        sentences.extend(s.strip() for b in article.blocks for s in b.sentences)
    corpus = "\n".join(sentences)
    found: dict[tuple[str, str], Suggestion] = {}

    def add(source: str, target: str, category: str, signal: str, sentence: str) -> None:
        if fold(source) in known or source.casefold() in known:
            return
        key = (fold(source), target)
        s = found.setdefault(key, Suggestion(source, target, category, example=sentence))
        s.signals.add(signal)

    for sentence in sentences:
        for m in _ZH_THEN_EN.finditer(sentence):
            zh = _trim_name(m.group(1), corpus)
            if re.search(r"[A-Za-z]", m.group(2)):
                add(zh, m.group(2).strip(), "", "bracketed English", sentence)
        for m in _EN_THEN_ZH.finditer(sentence):
            add(m.group(2), m.group(1).strip(), "term", "bracketed Chinese", sentence)
        for m in _CAPITALISED.finditer(sentence):
            name = m.group(1)
            distinctive = any(ch.isupper() for ch in name[1:]) or corpus.count(name) >= 2
            if len(name) >= 3 and distinctive:
                add(name, name, "name", "Latin-script name", sentence)
        for m in _TITLE_NAME.finditer(sentence):
            name = m.group(1)
            if name[0] in _SURNAMES and not _PARTICLES & set(name):
                add(name, "", "person", "name after a title", sentence)

    for s in found.values():
        s.count = corpus.count(s.source)
    ranked = sorted(
        (s for s in found.values() if s.count >= min_count),
        key=lambda s: (-("bracketed English" in s.signals or "bracketed Chinese" in s.signals), -s.count, s.source),
    )
    return ranked, problems


def _trim_name(run: str, corpus: str) -> str:
    """The name at the end of a CJK run: after the last function word, without a job title.

    '從輝達' -> '輝達', '深耕的智慧能源管理系統' -> '智慧能源管理系統', '執行長阿特曼' -> '阿特曼'.
    """
    cut = max((i for i, ch in enumerate(run) if ch in _PARTICLES), default=-1)
    name = _LEADING_TITLE.sub("", run[cut + 1 :])
    return name if len(name) >= 2 else run[-2:]


def write_csv(suggestions: list[Suggestion], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for s in suggestions:
        example = s.example if len(s.example) <= 80 else s.example[:79] + "…"
        note = f"suggested ({', '.join(sorted(s.signals))}); count {s.count}; e.g. {example}"
        writer.writerow([s.source, s.target, "", s.category, note])
