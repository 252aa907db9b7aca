"""``briefing serve``: one warm model for every ``briefing translate`` and ``run`` of a user.

``channel``: where the socket lives (a folder only the user can enter) and how
messages travel (one JSON object per line); ``key``: what a client and the
server must agree on for the English to be the same (every setting that
determines it: the model's revision, the glossary files' bytes, normalisation,
figures, decoding, the memory file); ``server``: the worker; ``client``: asks
it, and says None whenever the answer cannot be trusted to be identical, so
the caller loads the model itself.

The server decodes each client's batches exactly as that client would have:
the same sentences in the same batch (int8 dynamic quantisation scales each
batch's activations as a whole, so a sentence batched with another client's
could come out differently; see ``engines/batch.py``).  Clients queue for the
model; a client that goes away before its turn costs nothing.
"""
