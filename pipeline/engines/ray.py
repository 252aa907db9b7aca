"""The Ray engine: the planned batches run on a Ray Data actor pool.

Each sentence is a row keyed by (article, sentence) and carries its planned
batch; ``groupby("batch").map_groups`` hands each actor whole batches, so an
actor decodes exactly what the local engine decodes.  Each actor loads the
model once (from the prepared-model cache when warm).  Results stream back to
the driver in whatever order actors finish; the driver matches them by key.
Ray is imported only here, only when ``--engine ray`` is chosen.
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

    def __call__(self, group: dict) -> dict:
        rows = [
            {"article": a, "sentence": s, "text": t, "constraints": json.loads(c), "max_new_tokens": m}
            for a, s, t, c, m in zip(group["article"], group["sentence"], group["text"],
                                     group["constraints"], group["max_new_tokens"])
        ]
        results = translate_rows(self.translator, rows)
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
        rows = [dict(r, constraints=json.dumps(list(r["constraints"]), ensure_ascii=False),
                     max_new_tokens=int(r["max_new_tokens"] or 0))
                for rows in batches for r in rows]
        dataset = ray.data.from_items(rows, override_num_blocks=min(len(batches), 4 * self.actors))
        translated = dataset.groupby("batch").map_groups(
            RayTranslatorActor,
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
