"""Child processes of ``microcred refresh`` end with their parent.

``die_with_parent`` asks the kernel to SIGKILL the calling process when its parent dies
(``prctl(PR_SET_PDEATHSIG)``). The refresh's fork server (``pipelines.lifeline_forkserver``) dies with the
refresh, each run it forks dies with the fork server, and each crawl subprocess (``scrapers.crawl``) dies with
the run that started it. Without it, killing only the refresh left them running for minutes, re-pointing
``staging/CURRENT`` or landing a crawl after the refresh was gone. It lives at the bottom layer (here) so that
the crawl can use it without importing the pipelines.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int | None = None) -> None:
    """Asks the kernel to SIGKILL this process when its parent dies (Linux; a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The parent may have died before prctl: then we were re-parented and no signal will ever come.
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)
