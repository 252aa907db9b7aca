"""One local Ray cluster for the whole test session (starting one costs seconds)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="session")
def ray_cluster():
    ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install 'briefing[ray]'); CI installs it")
    pytest.importorskip("ray.data", reason="ray is installed without Ray Data (pip install 'briefing[ray]')")
    import os

    os.environ.setdefault("RAY_DATA_DISABLE_PROGRESS_BARS", "1")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR",
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ray
    ray.shutdown()
