"""How a ``briefing`` process ends once torch is loaded.

Tearing the interpreter down (freeing every module's objects) takes ~0.4 s once
torch is loaded, a fifth of a warm ``briefing translate``; and a thread still
inside torch when the interpreter finalises can abort the process (SIGABRT).
So the process runs its exit handlers (logging, temporary folders, closing the
translation memory, which checkpoints its log into the file), flushes its
output and leaves at once.  Our files are renamed into place before that.
"""

from __future__ import annotations

import sys

from pipeline.errors import EXIT_SOME_FAILED, one_line


def leave(code: int, at_once: bool = False) -> None:
    """Exit with ``code``.  Without ``at_once``, a process that never loaded torch, or has
    another thread alive (Ray, the progress ticker), gets the normal exit.  Output that
    cannot be written (a full disk) is one line and exit 1, never a silent success."""
    import threading

    if not at_once and ("torch" not in sys.modules or threading.active_count() > 1):
        raise SystemExit(code)
    import atexit
    import os

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `briefing ... | head`: the reader left, which is fine
        pass
    except (OSError, ValueError) as err:
        print(f"briefing: the output could not be written: {one_line(str(err))}", file=sys.stderr)
        code = code or EXIT_SOME_FAILED
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)
