"""The Ray engine: the planned batches run on a Ray Data actor pool.

The driver's planned batches become the dataset, one item per batch holding
its sentences (each keyed by the article and sentence that asked for it);
``map_batches`` with ``batch_size=1`` over an actor pool hands each actor
whole planned batches, so an actor decodes exactly what the local engine
decodes.  (No groupby: its shuffle tasks need CPUs that the actors hold, and
on a small cluster that waits forever.)  Each actor loads the model once,
from the prepared-model cache when warm.  Results stream back to the driver
in whatever order actors finish; the driver matches them by key.  Ray is
imported only here, only when ``--engine ray`` is chosen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline.engines.batch import ModelSpec, threads_from_environment, translate_rows
from pipeline.errors import BriefingError

_ROOT = Path(__file__).resolve().parents[2]


def import_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise BriefingError("--engine ray needs Ray Data: pip install 'briefing[ray]'") from None
    return ray


class RayTranslatorActor:
    """One per actor: loads the translator once, then translates whole planned batches."""

    def __init__(self, spec: ModelSpec):
        import dataclasses

        threads = spec.threads or threads_from_environment()  # the CPUs Ray gave this actor
        self.translator = dataclasses.replace(spec, threads=threads).load()

    def __call__(self, items: dict) -> dict:
        results = []
        for planned in items["rows"]:  # one planned batch per item (batch_size=1)
            results += translate_rows(self.translator, json.loads(str(planned)))
        return {key: [r[key] for r in results] for key in ("article", "sentence", "english")}


class RayEngine:
    name = "ray"

    def __init__(self, spec: ModelSpec, actors: int = 1, cpus_per_actor: float = 1, gpus_per_actor: float = 0,
                 address: str | None = None):
        self.spec = spec
        self.actors = actors
        self.cpus_per_actor = cpus_per_actor
        self.gpus_per_actor = gpus_per_actor
        self.address = address
        self._started_here = False

    def _connect(self):
        ray = import_ray()
        if not ray.is_initialized():
            kwargs = dict(include_dashboard=False, log_to_driver=False, logging_level="ERROR")
            if self.address:
                ray.init(address=self.address, **kwargs)
            else:  # a cluster of our own, for this run; workers import this very package
                ray.init(runtime_env={"env_vars": {"PYTHONPATH": str(_ROOT)}}, **kwargs)
                self._started_here = True
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # the run has its own progress line
        context.execution_options.preserve_order = False  # take batches as they finish
        return ray

    def run(self, batches: Sequence[list[dict]]) -> Iterator[list[dict]]:
        if not batches:
            return
        ray = self._connect()
        items = [{"batch": int(rows[0]["batch"]), "rows": json.dumps(rows, ensure_ascii=False)} for rows in batches]
        dataset = ray.data.from_items(items, override_num_blocks=len(items))
        translated = dataset.map_batches(
            RayTranslatorActor,
            batch_size=1,
            fn_constructor_args=(self.spec,),
            concurrency=self.actors,
            num_cpus=self.cpus_per_actor,
            num_gpus=self.gpus_per_actor or None,
            batch_format="numpy",
        )
        for block in translated.iter_batches(batch_size=None, batch_format="numpy"):
            yield [{"article": int(a), "sentence": int(s), "english": str(e)}
                   for a, s, e in zip(block["article"], block["sentence"], block["english"])]

    def close(self) -> None:
        if self._started_here:
            import ray

            ray.shutdown()
            self._started_here = False
