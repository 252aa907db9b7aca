"""Where the model runs and in which number format: a choice made once per run.

int8 dynamic quantisation is a CPU technique (fbgemm kernels); a GPU runs the
same search in half precision, with larger batches to fill it.
"""

from __future__ import annotations

CPU_PRECISIONS = ("int8", "fp32")
GPU_PRECISIONS = ("fp16", "bf16", "fp32")
CPU_BATCH = 16
GPU_BATCH = 64


def cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def choose_device(option: str | None) -> str:
    """``auto`` (default): CUDA when torch sees a GPU, else CPU."""
    from pipeline.errors import BriefingError

    option = option or "auto"
    if option == "auto":
        return "cuda" if cuda_available() else "cpu"
    if option == "cuda" and not cuda_available():
        raise BriefingError("--device cuda: torch sees no CUDA GPU (a CPU-only torch build, or no driver); use --device cpu")
    if option not in ("cpu", "cuda"):
        raise BriefingError(f"--device must be auto, cpu or cuda, not {option!r}")
    return option


def choose_precision(device: str, requested: str | None) -> str:
    """int8 on CPU and fp16 on CUDA unless asked otherwise; refuses pairs that cannot run."""
    from pipeline.errors import BriefingError

    on_gpu = device.startswith("cuda")
    if requested is None:
        return "fp16" if on_gpu else "int8"
    allowed = GPU_PRECISIONS if on_gpu else CPU_PRECISIONS
    if requested not in allowed:
        raise BriefingError(f"--precision {requested} does not run on {device}; choose {' or '.join(allowed)}")
    return requested


def default_batch_size(device: str) -> int:
    return GPU_BATCH if device.startswith("cuda") else CPU_BATCH


def torch_dtype(precision: str):
    import torch

    return {"fp16": torch.float16, "bf16": torch.bfloat16}.get(precision, torch.float32)
