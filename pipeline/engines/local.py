"""The local engine: the batch function in a loop, in this process."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from pipeline.engines.batch import translate_rows


class LocalEngine:
    name = "local"

    def __init__(self, load: Callable[[], object]):
        self._load = load
        self._translator = None

    def run(self, batches: Sequence[list[dict]]) -> Iterator[list[dict]]:
        """Results batch by batch, in plan order; the model loads on the first batch."""
        for rows in batches:
            if self._translator is None:
                self._translator = self._load()
            yield translate_rows(self._translator, rows)

    def close(self) -> None:
        pass
