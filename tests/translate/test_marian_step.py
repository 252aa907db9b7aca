"""The incremental decoder step computes what transformers' MarianDecoder computes."""

import torch

from pipeline.translate.marian_step import IncrementalMarianDecoder, fuse_self_attention


import pytest


@pytest.mark.parametrize("fused", [False, True])
def test_step_by_step_with_beam_reordering_matches_full_decoder(tiny_model_dir, fused):
    from transformers import MarianMTModel

    torch.manual_seed(3)
    model = MarianMTModel.from_pretrained(tiny_model_dir).eval()
    if fused:
        fuse_self_attention(model)
    vocab = model.config.vocab_size
    sentences, beam, steps = 3, 4, 7
    src = torch.randint(5, vocab - 1, (sentences, 9))
    mask = torch.ones_like(src)
    mask[1, 6:] = 0  # a padded sentence
    with torch.inference_mode():
        enc = model.get_encoder()(input_ids=src, attention_mask=mask).last_hidden_state
        inc = IncrementalMarianDecoder(model)
        inc.start(enc, mask, beam)
        rows = sentences * beam
        history = torch.full((rows, 1), model.config.decoder_start_token_id)
        for step in range(steps):
            hidden = inc.step(history[:, -1])
            reference = model.get_decoder()(
                input_ids=history,
                encoder_hidden_states=enc.repeat_interleave(beam, 0),
                encoder_attention_mask=mask.repeat_interleave(beam, 0),
                use_cache=False,
            ).last_hidden_state[:, -1]
            assert torch.allclose(hidden, reference, atol=1e-4), step
            # shuffle beams within each sentence, as beam search does, then extend
            order = torch.cat([s * beam + torch.randint(0, beam, (beam,)) for s in range(sentences)])
            inc.reorder(order)
            history = torch.cat([history[order], torch.randint(5, vocab - 1, (rows, 1))], dim=1)
        # a sentence leaves the batch
        keep = torch.tensor([0, 2])
        keep_rows = torch.cat([torch.arange(s * beam, (s + 1) * beam) for s in keep.tolist()])
        inc.keep(keep, keep_rows)
        hidden = inc.step(history[keep_rows, -1])
        reference = model.get_decoder()(
            input_ids=history[keep_rows],
            encoder_hidden_states=enc[keep].repeat_interleave(beam, 0),
            encoder_attention_mask=mask[keep].repeat_interleave(beam, 0),
            use_cache=False,
        ).last_hidden_state[:, -1]
        assert torch.allclose(hidden, reference, atol=1e-4)
