"""The MarianMT translator: requests in, constrained English out.

``MarianTranslator.translate(requests)`` splits over-long inputs, de-duplicates
and length-sorts units into batches, and runs our constrained beam search.
torch is imported only when a translator is built.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.translate.loading import LoadedModel, ModelLocation, load_marian, resolve_model
from pipeline.translate.prepare import TranslationRequest
from pipeline.translate.presence import share_flags

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass
class TranslationStats:
    sentences: int = 0
    model_calls: int = 0  # decoded units after splitting and de-duplication
    tokens: int = 0  # target tokens decoded (best hypotheses)
    seconds: float = 0.0


# ---------------------------------------------------------------- the MarianMT translator


@dataclass
class _Unit:
    """A piece of one request that fits the model: what is decoded."""

    request_index: int
    text: str
    constraints: tuple[tuple[str, ...], ...]  # per occurrence: accepted English forms, canonical first
    input_ids: list[int] = field(default_factory=list)
    max_new_tokens: int | None = None
    # evaluation only: English the reference-following model writes, or (preferred, fallback)
    reference: str | tuple[str, str] | None = None
    # the piece starts its sentence (a later piece of a split sentence follows a clause of it:
    # a capital there is no sentence-initial capital)
    first: bool = True
    # per requirement: whether it shares an occurrence (TranslationRequest.shares)
    shares: tuple[bool, ...] = ()

    @property
    def key(self) -> tuple:
        return (self.text, self.constraints, self.max_new_tokens, self.reference, self.first, self.shares)


class MarianTranslator:
    """Translate with a MarianMT model, enforcing each request's constraints while decoding."""

    def __init__(self, loaded: LoadedModel, settings=None, batch_size: int = 16, threads: int | None = None,
                 device: str = "cpu", head=None, saved_classes=None):
        """``head``: the output head of a prepared model (see ``prepared``): ``loaded.model``
        is then already fused, quantised and on ``device``, and nothing is redone.
        ``saved_classes``: (fingerprint of what they were derived from, token classes) as
        saved beside the prepared model; used only when this tokenizer's fingerprint matches."""
        import torch

        from pipeline.translate.settings import DecodingSettings

        self.loaded = loaded
        self.model = loaded.model
        self.tokenizer = loaded.tokenizer
        self.model_id = loaded.model_id
        self.model_revision = loaded.revision
        self.settings = settings or DecodingSettings()
        self.batch_size = batch_size
        self.device = torch.device(device)
        self.stats = TranslationStats()
        if threads:
            torch.set_num_threads(threads)
        config = self.model.config
        self._model_limit = int(getattr(config, "max_position_embeddings", 512))
        self._max_input = min(self.settings.max_input_tokens, self._model_limit - 1)
        self._eos = self.tokenizer.eos_token_id
        self._pad = self.tokenizer.pad_token_id
        self._start = config.decoder_start_token_id if config.decoder_start_token_id is not None else self._pad
        banned = {self._pad}
        for ids in getattr(self.model.generation_config, "bad_words_ids", None) or getattr(config, "bad_words_ids", None) or []:
            if len(ids) == 1:
                banned.add(ids[0])
        banned.discard(self._eos)
        self._banned = sorted(banned)
        self._constraint_cache: dict[str, tuple[list[int], str]] = {}
        self._phrase_cache: dict[tuple[str, ...], list] = {}
        self._edges: dict[str, list[tuple[int, str, str]]] | None = None
        self._writable: tuple[dict[str, int], set[int]] | None = None
        self.head = head if head is not None else self._prepare()
        # built here, once per translator, so no translation call pays for them (~1 s on the full vocabulary)
        inputs = self._class_inputs()
        self.classes_source = _fingerprint(inputs)
        saved_source, saved = saved_classes or (None, None)
        self._token_classes = saved if saved_source == self.classes_source else self._build_token_classes(inputs)
        self._edge_index()

    def _prepare(self):
        """Fuse, quantise (CPU int8) or cast and move (GPU) the model; returns its output head."""
        from pipeline.translate.device import torch_dtype
        from pipeline.translate.marian_step import fuse_self_attention

        precision = self.settings.precision
        allowed = ("int8", "fp32") if self.device.type == "cpu" else ("fp16", "bf16", "fp32")
        if precision not in allowed:
            raise ValueError(f"precision must be {' or '.join(allowed)} on {self.device.type}, not {precision!r}")
        head = self._build_head()
        fuse_self_attention(self.model)
        if precision == "int8":
            from pipeline.translate.search import quantize_int8

            quantize_int8(self.model, inplace=True)  # after the head took its fp32 rows
        elif self.device.type != "cpu" or precision != "fp32":
            dtype = torch_dtype(precision)
            self.model.to(device=self.device, dtype=dtype)
            head.linear.to(device=self.device, dtype=dtype)
            head._full_weight = head._full_weight.to(device=self.device, dtype=dtype)
            head._full_bias = head._full_bias.to(device=self.device, dtype=dtype)
        return head

    def _build_head(self):
        from pipeline.translate.search import OutputHead

        allowed = None
        if self.settings.target_vocab_only:
            allowed = self._target_vocab_ids()
        return OutputHead(self.model, allowed, int8=self.settings.precision == "int8")

    def _target_vocab_ids(self) -> list[int] | None:
        """Ids of the pieces the target SentencePiece model can write, plus EOS."""
        tok = self.tokenizer
        spm = getattr(tok, "spm_target", None)
        encoder = getattr(tok, "target_encoder", None) or getattr(tok, "encoder", None)
        if spm is None or not encoder:
            return None
        ids = {encoder[p] for p in (spm.id_to_piece(i) for i in range(spm.get_piece_size())) if p in encoder}
        ids.add(self._eos)
        ids.discard(self._pad)
        size = self.model.get_output_embeddings().weight.size(0)
        ids = {i for i in ids if i < size}
        return sorted(ids) if len(ids) > 1 else None

    # -- tokenisation helpers
    def source_ids(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=True, truncation=False).input_ids

    def constraint_ids(self, target: str) -> tuple[list[int], str]:
        """Target token ids for a constraint, and the string those ids decode to.

        The decoded string equals ``target`` whenever the target vocabulary can
        spell it; otherwise (a character the model cannot write) the forced
        token span is written as ``target`` in place (see ``_detokenise``).
        """
        cached = self._constraint_cache.get(target)
        if cached is None:
            ids = self.tokenizer(text_target=target, add_special_tokens=False).input_ids
            ids = [i for i in ids if i != self._eos]
            spelled = self.decode(ids)
            cached = self._constraint_cache[target] = (ids, spelled)
        return cached

    def phrase_ids(self, forms: Sequence[str]) -> list:
        """Every token spelling that satisfies one requirement (``forms``: its
        accepted English, canonical first; see ``presence.accepted_forms``), as
        ``search.Spelling``s: each form, and each lower-case one capitalised (at a
        sentence start only), as SentencePiece spells it alone, after an opening
        bracket or quote and before closing punctuation or 's, with the pieces
        that straddle the form and that context (``▁(15`` ``%``).  Only the
        canonical form's are forced; the others are credited when written."""
        from pipeline.translate.presence import initial_capital, match_forms
        from pipeline.translate.search import Spelling

        forms = tuple(forms)
        cached = self._phrase_cache.get(forms)
        if cached is not None:
            return cached
        canonical, spelled = self.constraint_ids(forms[0])
        if spelled != forms[0]:  # unspellable: _detokenise writes the target at its forced span only
            cached = self._phrase_cache[forms] = [Spelling(tuple(canonical), forms[0], exact=True)]
            return cached
        capital = initial_capital(forms[0])
        unk = self.tokenizer.unk_token_id
        spellings: dict = {}
        for form in match_forms(forms):
            is_canonical = form.text == (capital if form.initial else forms[0])
            for ids, lead, trail in self._context_spellings(form.text):
                if ids and unk not in ids:
                    sp = Spelling(tuple(ids), form.text, lead, trail, is_canonical, form.initial)
                    spellings.setdefault(sp, None)
        for sp in list(spellings):
            for straddling in self._straddling(sp):
                spellings.setdefault(straddling, None)
        for sp in self._suffixed(list(spellings)):
            spellings.setdefault(sp, None)
        spellings = {sp: None for sp in spellings if _can_count(sp)}
        alone = Spelling(tuple(canonical), forms[0], " ", "", True)
        if not any(sp.canonical and not sp.initial and sp.lead == " " and not sp.trail for sp in spellings):
            spellings[alone] = None  # the tokenizer's own spelling: the one the guarantee can always force
        cached = self._phrase_cache[forms] = list(spellings)
        return cached

    def _suffixed(self, spellings: list) -> list:
        """A form that is another form plus one piece (chips = chip + s), written as
        that form's spelling and the piece: how a subword model writes a plural."""
        from dataclasses import replace

        vocab, writable = self._vocab_and_writable()
        forms = {(sp.form, sp.initial) for sp in spellings}
        out = []
        for sp in spellings:
            if sp.trail:
                continue
            for form, initial in forms:
                rest = form[len(sp.form):]
                if initial == sp.initial and rest and form.startswith(sp.form) and vocab.get(rest) in writable:
                    out.append(replace(sp, tokens=(*sp.tokens, vocab[rest]), form=form,
                                       canonical=False))
        return out

    def _straddling(self, sp) -> list:
        """``sp`` with its first piece replaced by one that also writes punctuation
        before the form (``▁(15``, ``-15``, ``/70``): any such piece of the
        vocabulary, since the model may write one after any word.  (Pieces that
        also write what follows a form, ``5),``, come from the contexts of
        ``_context_spellings``: taking every piece that starts with ")" for every
        spelling of a name ending in ")" multiplied the spellings a sentence follows.)"""
        from dataclasses import replace

        if sp.trail or not sp.form:
            return []
        ids = list(sp.tokens)
        head = self.tokenizer.convert_ids_to_tokens(ids[:1])[0].replace("▁", " ")[len(sp.lead):]
        out = []
        for piece, lead, trail in self._edge_index().get(head, ()):
            if piece != ids[0] and lead and (not trail or len(ids) == 1):
                out.append(replace(sp, tokens=(piece, *ids[1:]), lead=lead, trail=trail))
        return out

    def _vocab_and_writable(self) -> tuple[dict[str, int], set[int]]:
        """The tokenizer's vocabulary and the ids the search can write (the head's), built once."""
        if self._writable is None:
            self._writable = (self.tokenizer.get_vocab(), set(self.head.ids.tolist()))
        return self._writable

    def _edge_index(self) -> dict[str, list[tuple[int, str, str]]]:
        """Per text c: the (id, lead, trail) of every piece that writes lead + c + trail
        with lead and trail only punctuation or spaces (pieces of plain words, with
        or without a leading "▁", are left out: the context spellings have them)."""
        if self._edges is None:
            edges: dict[str, list[tuple[int, str, str]]] = {}
            vocab, writable = self._vocab_and_writable()
            for piece, i in vocab.items():
                if piece.lstrip("▁").isalnum() or i not in writable or (piece[:1] == "<" and piece[-1:] == ">"):
                    continue  # a plain word, with or without "▁"
                text = piece.replace("▁", " ")
                before, after = _edge_run(text), _edge_run(text[::-1])
                for a in range(before + 1):
                    for b in range(after + 1):
                        core = text[a:len(text) - b]
                        if core and (a or b):
                            edges.setdefault(core, []).append((i, text[:a], text[len(text) - b:]))
            self._edges = edges
        return self._edges

    def _context_spellings(self, form: str) -> list[tuple[list[int], str, str]]:
        """(ids, lead, trail) of ``form`` in each context: ``lead``/``trail`` is what
        the first/last piece writes outside the form (" " for a ``▁`` piece)."""
        spm = getattr(self.tokenizer, "spm_target", None)
        if spm is None:
            return [(self.constraint_ids(form)[0], " ", "")]
        found: dict[tuple, None] = {}

        def spell(before: str, after: str) -> list[tuple]:
            """(inner pieces, lead, trail) of the form between ``before`` and ``after``."""
            spelled = [(tuple(inner), lead, trail)
                       for inner, lead, trail in _locate(spm.encode(before + form + after, out_type=str), before, form, after)]
            found.update(dict.fromkeys(spelled))
            return spelled

        alone = [inner for inner, _, _ in spell("", "")]
        # An opener can change a form's first pieces and a closer its last ones.  Where each
        # changes only the piece next to it, the pair's spelling is the two spliced around the
        # middle (a lone-space piece the opener replaced is dropped); otherwise it is spelled.
        starts = {before: spell(before, "") for before in _OPENING[1:]}
        ends = {after: spell("", after) for after in _CLOSING[1:]}
        for before, start in starts.items():
            for after, end in ends.items():
                spliced = _splice(start, end, alone)
                if spliced is None:
                    spell(before, after)
                else:
                    found.update(dict.fromkeys(spliced))
        return [(self.tokenizer.convert_tokens_to_ids(list(inner)), lead, trail) for inner, lead, trail in found]

    @property
    def token_classes(self):
        """How each target piece joins its neighbours (built once, with the translator)."""
        return self._token_classes

    def _class_inputs(self) -> tuple[list[str], int, list[int]]:
        """What the token classes are derived from: every piece of the model's whole output
        vocabulary, EOS, and the other special ids."""
        size = self.head._full_weight.size(0)
        pieces = self.tokenizer.convert_ids_to_tokens(list(range(size)))
        return pieces, self._eos, [i for i in self.tokenizer.all_special_ids if i != self._eos]

    def _build_token_classes(self, inputs=None):
        from pipeline.translate.search import TokenClasses

        pieces, eos, special = inputs or self._class_inputs()
        return TokenClasses.from_pieces(pieces, eos, special, clean=lambda text: _CONTROL.sub("", text))

    def decode(self, ids: Sequence[int]) -> str:
        text = self.tokenizer.decode(list(ids), skip_special_tokens=True, use_source_tokenizer=False)
        # Byte-fallback pieces can spell control characters; no reader wants them.
        return _CONTROL.sub("", text).strip()

    # -- the interface
    def translate(self, requests: Sequence[TranslationRequest],
                  references: Sequence[str | tuple[str, str]] | None = None) -> list[str]:
        """English per request.  ``references`` (evaluation only) turns the model
        into one that follows the given English (``search.reference``); a
        (preferred, fallback) pair makes it prefer the first wording while
        knowing the second."""
        start = time.perf_counter()
        units = self._units(requests)
        if references is not None:
            for u in units:
                u.reference = references[u.request_index]
        # Identical units are decoded once (titles repeat headings, slogans repeat).
        distinct: dict[tuple, list[_Unit]] = {}
        for u in units:
            distinct.setdefault(u.key, []).append(u)
        outputs: dict[tuple, str] = {}
        keys = sorted(distinct, key=lambda key: len(distinct[key][0].input_ids))  # length-sorted batches
        for i in range(0, len(keys), self.batch_size):
            batch_keys = keys[i : i + self.batch_size]
            texts = self._decode_batch([distinct[key][0] for key in batch_keys])
            outputs.update(zip(batch_keys, texts))
        pieces: list[list[str]] = [[] for _ in requests]
        for u in units:
            pieces[u.request_index].append(outputs[u.key])
        self.stats.sentences += len(requests)
        self.stats.model_calls += len(keys)
        self.stats.seconds += time.perf_counter() - start
        return [" ".join(p for p in parts if p) for parts in pieces]

    def _units(self, requests: Sequence[TranslationRequest]) -> list[_Unit]:
        units: list[_Unit] = []
        for index, req in enumerate(requests):
            ids = self.source_ids(req.text)
            if len(ids) <= self._max_input:
                units.append(_Unit(index, req.text, req.constraints, ids, req.max_new_tokens,
                                   shares=share_flags(req.shares, len(req.constraints))))
                continue
            # Too long for the model: split at clause boundaries, never inside an
            # inlined term, and give each requirement to the piece that holds it.
            units += self._split(index, req)
        return units

    def _split(self, index: int, req: TranslationRequest) -> list[_Unit]:
        """Pieces of a request too long for the model, each with the requirements whose
        source it holds, by offset (``req.anchors``): a dividend of NT$3 belongs to its
        own clause, not to the one that holds "NT$30 billion".  A requirement with no
        known place goes to the longest piece."""
        from pipeline.ingest.segment import split_long

        anchors = list(req.anchors) if len(req.anchors) == len(req.constraints) else _find_targets(req)
        protected = [a for a in anchors if a[0] >= 0]
        pieces = split_long(req.text, lambda s: len(self.source_ids(s)) <= self._max_input, protected)
        bounds, at = [], 0
        for piece in pieces:
            bounds.append((at, at + len(piece)))
            at += len(piece)
        mine: list[list[tuple[str, ...]]] = [[] for _ in pieces]
        flags: list[list[bool]] = [[] for _ in pieces]  # each requirement keeps its share flag
        longest = max(range(len(pieces)), key=lambda i: len(pieces[i]))
        shares = share_flags(req.shares, len(req.constraints))
        for forms, shared, (start, _) in zip(req.constraints, shares, anchors):
            holder = next((i for i, (lo, hi) in enumerate(bounds) if lo <= start < hi), longest) if start >= 0 else longest
            mine[holder].append(forms)
            flags[holder].append(shared)
        return [_Unit(index, piece, tuple(reqs), self.source_ids(piece), first=i == 0, shares=tuple(f))
                for i, (piece, reqs, f) in enumerate(zip(pieces, mine, flags))]

    def _decode_batch(self, units: list[_Unit]) -> list[str]:
        import torch

        from pipeline.translate.search import constrained_beam_search

        width = max(len(u.input_ids) for u in units)
        input_ids = torch.full((len(units), width), self._pad, dtype=torch.long)
        mask = torch.zeros((len(units), width), dtype=torch.long)
        for row, u in enumerate(units):
            input_ids[row, : len(u.input_ids)] = torch.tensor(u.input_ids)
            mask[row, : len(u.input_ids)] = 1
        input_ids, mask = input_ids.to(self.device), mask.to(self.device)
        constraint_ids = [[self.phrase_ids(forms) for forms in u.constraints] for u in units]
        follower = None
        if any(u.reference is not None for u in units):
            from pipeline.translate.search.reference import ReferenceFollower

            pairs = [u.reference if isinstance(u.reference, tuple) else (u.reference, None) for u in units]
            follower = ReferenceFollower([self._reference_ids(p) for p, _ in pairs], self._eos,
                                         fallbacks=[self._reference_ids(f) for _, f in pairs])
        limits = [
            min(u.max_new_tokens, self._model_limit - 1) if u.max_new_tokens
            else self.settings.max_new_tokens(len(u.input_ids), self._model_limit - 1)
            for u in units
        ]
        best = constrained_beam_search(
            self.model,
            input_ids,
            mask,
            constraint_ids,
            limits,
            beam_size=self.settings.beam_size,
            length_penalty=self.settings.length_penalty,
            eos_token_id=self._eos,
            decoder_start_token_id=self._start,
            banned_token_ids=self._banned,
            head=self.head,
            force_length=self.settings.force_length,
            no_repeat_ngram_size=self.settings.no_repeat_ngram_size,
            token_classes=self.token_classes,
            logits_processor=follower,
            sentence_start=[u.first for u in units],
            shares=[u.shares for u in units],
        )
        self.stats.tokens += sum(len(ids) for ids in best)
        return [self._detokenise(ids, u.constraints) for u, ids in zip(units, best)]

    def _reference_ids(self, reference: str | None) -> list[int]:
        if not reference:
            return []
        return [i for i in self.tokenizer(text_target=reference, add_special_tokens=False).input_ids if i != self._eos]

    def _detokenise(self, ids: list[int], constraints: tuple[tuple[str, ...], ...]) -> str:
        """Decode ids; a constraint the vocabulary cannot spell (its forced ids decode
        to something else, e.g. <unk>) is written as the exact target at the very
        token span the decoder placed it."""
        spans = []
        for target in (forms[0] for forms in constraints):
            forced, spelled = self.constraint_ids(target)
            if spelled == target:
                continue
            at = _find_sublist(ids, forced, taken=spans)
            if at is not None:
                spans.append((at, at + len(forced), target))
        if not spans:
            return self.decode(ids)
        pieces, cursor = [], 0
        for start, end, target in sorted(spans):
            pieces += [self.decode(ids[cursor:start]), target]
            cursor = end
        pieces.append(self.decode(ids[cursor:]))
        return " ".join(p for p in pieces if p)


# Text that may touch a term: SentencePiece can spell the term differently next to it.
_OPENING = ("", "(", '"', "“")
_CLOSING = ("", ",", ".", ")", "'s", "”", '"', "!", "?", ";", ":")


def _locate(pieces: list[str], before: str, form: str, after: str) -> list[tuple[list[str], str, str]]:
    """The pieces that write ``form`` within ``before + form + after`` (SentencePiece
    adds one leading space), with what their first piece writes before the form
    and their last after it; where the form's first piece follows a lone space
    piece, also the spelling that includes it (the one the search can force
    after any word).  Nothing if the pieces do not write the text as given.
    Offsets are in UTF-8 bytes where byte-fallback pieces (one byte each) occur."""
    if any(p[:3] == "<0x" for p in pieces):
        chunks, written = [_piece_bytes(p) for p in pieces], (" " + before + form + after).encode()
        start, end = len((" " + before).encode()), len((" " + before + form).encode())
    else:
        chunks, written = [p.replace("▁", " ") for p in pieces], " " + before + form + after
        start, end = 1 + len(before), 1 + len(before) + len(form)
    if type(written)().join(chunks) != written:
        return []  # normalised by the tokenizer: not this form
    first = last = 0
    at = 0
    for i, chunk in enumerate(chunks):  # the pieces holding the form's first and last characters
        if chunk and at <= start:
            first, first_at = i, at
        if chunk and at < end:
            last, last_end = i, at + len(chunk)
        at += len(chunk)
    lead, trail = written[first_at:start], written[end:last_end]
    text = (lambda b: b.decode()) if isinstance(written, bytes) else (lambda t: t)
    found = [(pieces[first : last + 1], text(lead), text(trail))]
    if first_at == start and first > 0 and chunks[first - 1].isspace():
        found.append((pieces[first - 1 : last + 1], text(chunks[first - 1]), text(trail)))
    return found


def _splice(start: list[tuple], end: list[tuple], alone: list[tuple]) -> list[tuple] | None:
    """The spellings of a form between an opener and a closer from its spellings
    after the opener (``start``) and before the closer (``end``): the opener's
    where the closer changed no piece; the two spliced around the middle where
    each changed only the piece next to it; None (spell the pair) otherwise."""
    untouched_last = all(any(len(s_inner) == len(a) > 1 and s_inner[-1] == a[-1] for a in alone)
                         for s_inner, _, _ in start)
    if not untouched_last:
        return None  # the opener changed the last piece too (a short form): the closer may join it
    if all(e_inner in alone and not e_trail for e_inner, _, e_trail in end):
        return []  # the closer is a piece of its own: the opener's spellings stand
    out = []
    for s_inner, s_lead, _ in start:
        for e_inner, _, e_trail in end:
            match = [a for a in alone if len(a) > 1 and len(s_inner) == len(a) == len(e_inner)
                     and s_inner[1:] == a[1:] and e_inner[:-1] == a[:-1]]
            if not match:
                return None
            out.append(((s_inner[0], *match[0][1:-1], e_inner[-1]), s_lead, e_trail))
    return out or None


def _can_count(sp) -> bool:
    """Whether a spelling can ever count: some context lets it start, and what its
    last piece writes after the form does not glue it (``▁$70%``, ``15%`` for 15)."""
    from pipeline.translate.search.tracker import spelling_rules

    rules = spelling_rules(sp, False)
    return rules.done >= 0 and rules.counts != 0


def _fingerprint(inputs) -> str:
    """A hash of the token classes' inputs: saved classes are used only for the very same pieces."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode()).hexdigest()


def _edge_run(text: str) -> int:
    """How many characters at the start of ``text`` are punctuation or spaces."""
    run = 0
    while run < len(text) and not text[run].isalnum():
        run += 1
    return run


def _piece_bytes(piece: str) -> bytes:
    byte = re.fullmatch(r"<0x([0-9A-Fa-f]{2})>", piece)
    return bytes([int(byte.group(1), 16)]) if byte else piece.replace("▁", " ").encode()


def _find_sublist(seq: list[int], sub: list[int], taken: list[tuple[int, int, str]]) -> int | None:
    for i in range(len(seq) - len(sub) + 1):
        if seq[i : i + len(sub)] == sub and not any(s < i + len(sub) and i < e for s, e, _ in taken):
            return i
    return None


def _find_targets(req: TranslationRequest) -> list[tuple[int, int]]:
    """Anchors for a request built without them (a caller's own request): each
    requirement at the first occurrence of its English not taken by an earlier one."""
    taken: list[tuple[int, int]] = []
    for forms in req.constraints:
        at = req.text.find(forms[0])
        while at >= 0 and (at, at + len(forms[0])) in taken:
            at = req.text.find(forms[0], at + 1)
        taken.append((at, at + len(forms[0])) if at >= 0 and forms[0] else (-1, -1))
    return taken


def load_translator(model: str | ModelLocation | None, settings=None, batch_size: int = 16) -> MarianTranslator:
    where = model if isinstance(model, ModelLocation) else resolve_model(model)
    return MarianTranslator(load_marian(where), settings, batch_size)

