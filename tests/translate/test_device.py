"""Device and precision choice; the CUDA half-precision path against the CPU fp32 one."""

from __future__ import annotations

import pytest

from pipeline.errors import BriefingError
from pipeline.translate.device import choose_precision, cuda_available, default_batch_size

NO_CUDA = "no CUDA GPU visible to torch (none on this machine or in CI); the GPU path is checked where one exists"


def test_cpu_defaults_to_int8_and_refuses_half_precision():
    assert choose_precision("cpu", None) == "int8"
    assert choose_precision("cuda", None) == "fp16"
    assert default_batch_size("cuda") > default_batch_size("cpu")
    with pytest.raises(BriefingError, match="int8 or fp32"):
        choose_precision("cpu", "fp16")
    with pytest.raises(BriefingError, match="does not run on cuda"):
        choose_precision("cuda", "int8")


@pytest.mark.skipif(cuda_available(), reason="this machine has a GPU")
def test_asking_for_cuda_without_one_is_a_usage_error(tiny_model_dir):
    from pipeline.cli import main

    assert main(["translate", "你好。", "--model", str(tiny_model_dir), "--device", "cuda", "--no-memory"]) == 2


@pytest.mark.skipif(not cuda_available(), reason=NO_CUDA)
@pytest.mark.parametrize("precision", ["fp16", "bf16"])
def test_cuda_half_precision_agrees_with_cpu_fp32(tiny_model_dir, precision):
    import torch

    from pipeline.translate.loading import load_marian
    from pipeline.translate.marian import MarianTranslator
    from pipeline.translate.search import constrained_beam_search
    from pipeline.translate.settings import DecodingSettings

    sentences = ["鴻海今天宣布與輝達合作。", "台積電的產能已經被預訂到2027年。"]
    runs = {}
    for device, prec in (("cpu", "fp32"), ("cuda", precision)):
        t = MarianTranslator(load_marian(str(tiny_model_dir)), DecodingSettings(beam_size=1, precision=prec),
                             device=device)
        enc = t.tokenizer(sentences, return_tensors="pt", padding=True).to(device)
        ids = constrained_beam_search(t.model, enc.input_ids, enc.attention_mask, [[], []], [6, 6], beam_size=1,
                                      length_penalty=1.0, eos_token_id=t._eos, decoder_start_token_id=t._start,
                                      banned_token_ids=t._banned, head=t.head, force_length=True)
        runs[device] = (t, enc, ids)
    assert runs["cpu"][2] == runs["cuda"][2]  # same tokens on a short greedy run
    scores = {}
    for device, (t, enc, ids) in runs.items():
        labels = torch.tensor(ids, device=device)
        with torch.inference_mode():
            logits = t.model(input_ids=enc.input_ids, attention_mask=enc.attention_mask, labels=labels).logits.float()
        scores[device] = logits.log_softmax(-1).gather(-1, labels[..., None]).sum().item()
    assert scores["cuda"] == pytest.approx(scores["cpu"], rel=2e-2, abs=5e-2)  # near-equal
