"""Engines: where the model work of a run happens.

Both engines decode the same planned batches with the same function
(``batch.translate_rows``); ``local`` runs it in a loop in this process,
``ray`` runs it on a Ray Data actor pool.  Everything else (ingest, the
translation memory, the briefings, the report) stays in the driver.
"""
