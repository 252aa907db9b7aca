"""Build random-weight MarianMT models for tests and benchmarks.

No real opus-mt weights exist on this machine (the hub is unreachable), so
tests run the real loading and decoding code on models built here:

* the tokenizer is the real opus-mt-zh-en one from ``../shared/models`` when
  present, else SentencePiece models trained on the spot on ``seeds/`` (source)
  and a small English text (target, with byte fallback so any string is
  spellable);
* the model is ``MarianMTModel`` with random weights: tiny (d_model 32, one
  layer each side) for tests, or the full opus-mt-zh-en config for benchmarks.

Random weights give nonsense English; callers assert structure and guarantees.

    python -m devtools.random_marian DEST [--full] [--tokenizer real|trained]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_MODEL = ROOT.parent / "shared" / "models" / "opus-mt-zh-en"
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json")

# English for the trained target tokenizer: glossary-like names, finance
# figures and ordinary news words, plus every printable ASCII character.
_ENGLISH = """
Hon Hai (Foxconn) chairman Young Liu said on Friday that the company and OpenAI will work together.
NVIDIA, AMD, Oracle, Microsoft, Google, Meta, Amazon, Tesla and Apple are building data centers.
TSMC plans to expand capacity from 100,000 wafers to 160,000 wafers a month by 2027.
Exports reached US$61.8 billion in October, up 49.7% year on year, the largest increase in 15 years.
OpenAI is valued at US$500 billion, more than NT$15 trillion, second only to TSMC at NT$35 trillion.
The Taiwan stock market index rose above 28,000 points; nearly 90% of servers are made in Taiwan.
Revenue in the first ten months reached NT$6.39 trillion, and December 2, 2025 was a record day.
The Genesis Mission is an executive order on artificial intelligence, energy and national laboratories.
Mitsubishi Electric, TECO Electric & Machinery, CTCI and Visionbay signed a memorandum of understanding.
the of and to in a is that for on with as by at from it was be this are which an has have will
more than about nearly million billion trillion percent people times year month day week
""" + "".join(chr(c) for c in range(33, 127))


def shared_tokenizer_available() -> bool:
    return all((SHARED_MODEL / f).exists() for f in ("source.spm", "target.spm", "vocab.json"))


def build_tokenizer(dest: Path, kind: str = "auto") -> str:
    """Write tokenizer files into ``dest``; returns "real" or "trained"."""
    dest.mkdir(parents=True, exist_ok=True)
    if kind == "real" or (kind == "auto" and shared_tokenizer_available()):
        for name in TOKENIZER_FILES:
            if (SHARED_MODEL / name).exists():
                shutil.copyfile(SHARED_MODEL / name, dest / name)
        return "real"
    _train_tokenizer(dest)
    return "trained"


def _train_tokenizer(dest: Path) -> None:
    import sentencepiece as spm

    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    chinese = "\n".join(p.read_text(encoding="utf-8") for p in seeds)
    work = dest / "_spm"
    work.mkdir(exist_ok=True)
    (work / "src.txt").write_text(chinese, encoding="utf-8")
    (work / "tgt.txt").write_text(_ENGLISH * 3, encoding="utf-8")
    common = dict(
        character_coverage=1.0,
        byte_fallback=True,
        hard_vocab_limit=False,
        model_type="unigram",
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        pad_id=-1,
        minloglevel=2,
    )
    spm.SentencePieceTrainer.train(input=str(work / "src.txt"), model_prefix=str(work / "src"), vocab_size=2000, **common)
    spm.SentencePieceTrainer.train(input=str(work / "tgt.txt"), model_prefix=str(work / "tgt"), vocab_size=600, **common)
    shutil.copy(work / "src.model", dest / "source.spm")
    shutil.copy(work / "tgt.model", dest / "target.spm")
    vocab = {"</s>": 0, "<unk>": 1}
    for model_file in ("src.model", "tgt.model"):
        proc = spm.SentencePieceProcessor(model_file=str(work / model_file))
        for i in range(proc.get_piece_size()):
            vocab.setdefault(proc.id_to_piece(i), len(vocab))
    vocab["<pad>"] = len(vocab)
    (dest / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (dest / "tokenizer_config.json").write_text(json.dumps({"source_lang": "zho", "target_lang": "eng"}))
    shutil.rmtree(work)


def build_model(dest: Path, full: bool = False, tokenizer: str = "auto", seed: int = 0) -> Path:
    """Save a random-weight MarianMT model with its tokenizer into ``dest``."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    kind = build_tokenizer(dest, tokenizer)
    vocab = json.loads((dest / "vocab.json").read_text(encoding="utf-8"))
    pad = vocab["<pad>"]
    if full:
        if not (SHARED_MODEL / "config.json").exists():
            raise SystemExit(f"the full-size model needs {SHARED_MODEL}/config.json")
        config = MarianConfig.from_pretrained(SHARED_MODEL)
    else:
        config = MarianConfig(
            vocab_size=len(vocab), d_model=32, encoder_layers=1, decoder_layers=1,
            encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
            max_position_embeddings=512, pad_token_id=pad, eos_token_id=0, decoder_start_token_id=pad,
            forced_eos_token_id=0, bad_words_ids=[[pad]], scale_embedding=True,
        )
    if kind == "real":
        config.vocab_size = len(vocab)
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.save_pretrained(dest)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--full", action="store_true", help="full opus-mt-zh-en size (needs ../shared)")
    parser.add_argument("--tokenizer", choices=("auto", "real", "trained"), default="auto")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    build_model(args.dest, args.full, args.tokenizer, args.seed)
    print(args.dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
