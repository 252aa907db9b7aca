"""The run signature: every setting that determines a briefing's English.

Like sacreBLEU's signature, it is stamped into each briefing and report so a
reader can tell which model, normalisation, glossary and decoding settings
produced a text, and two runs can be compared setting by setting.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from pipeline import __version__


@dataclass(frozen=True)
class Signature:
    model_id: str
    model_revision: str
    opencc_config: str
    glossary_hash: str
    glossary_entries: int
    decoding: str  # DecodingSettings.describe()
    source_terms: str  # inline | keep
    numbers: str = "on(NT$)"  # figure enforcement and what bare 元 means
    version: str = __version__

    def short(self) -> str:
        return (
            f"briefing:{self.version}|model:{self.model_id}@{self.model_revision}|opencc:{self.opencc_config}"
            f"|glossary:{self.glossary_hash}({self.glossary_entries})|terms:{self.source_terms}|numbers:{self.numbers}"
            f"|{self.decoding.replace(' ', '|')}"
        )

    def as_dict(self) -> dict:
        return asdict(self) | {"signature": self.short()}
