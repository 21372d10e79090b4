"""One thread count for every program the site runs, so that every run prints the same numbers.

torch splits a reduction (a sum, a matrix product) over its intra-op
threads, and the order in which the partial sums are added depends on how
many threads there are: the last printed digit of a loss can change with
the thread count. The build's pool (pwe_sphinx.gallery.workers) runs them
in joblib's loky workers, which get one thread each on a 2-core machine, while a serial
build, a notebook kernel or a CI runner would use every core. So the count
is fixed here, once, and applied in every mode:

* builds: ``pwe_sphinx.tools.sitebuild`` gives its builds
  :func:`thread_environment`; this extension sets the same variables in the
  Sphinx process when it loads (for ``sphinx-build`` run directly), and its
  reset function :func:`fix_threads` (conf.py's ``reset_modules``) sets
  torch's count before each example, in whichever process runs it;
* the exercises' and install page's scripts
  (``pwe_sphinx.gallery.executed_scripts``) call :func:`fix_torch_threads`
  before each script;
* the tests (their notebook kernels and every script they run) and the
  benchmark's floor take :func:`thread_environment` too.

One thread is what each of two workers on two cores should have, and it is
the same on every machine, so shards built on different CI runners print
what a one-machine build prints.
"""

from __future__ import annotations

import os
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

EXAMPLE_THREADS = 1
# The variables that set the OpenMP, MKL and OpenBLAS thread pools when a library first starts them.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def thread_environment() -> dict[str, str]:
    """Environment variables that give a new process (a build, a kernel, a script) the fixed count."""
    return dict.fromkeys(THREAD_VARIABLES, str(EXAMPLE_THREADS))


def fix_torch_threads() -> None:
    """Set torch's intra-op thread count in this process, whenever torch was first imported.

    The environment only reaches a torch that starts its pool after it was
    set; an example run in a process that had already imported torch (the
    build itself imports it for the PyTorch inventory) needs the explicit call.
    """
    try:
        import torch
    except ModuleNotFoundError:  # a script without torch (the light test tier has none): nothing to fix
        return

    if torch.get_num_threads() != EXAMPLE_THREADS:
        torch.set_num_threads(EXAMPLE_THREADS)


def fix_threads(gallery_conf: dict[str, Any], fname: str | None, when: str) -> None:
    """sphinx-gallery reset function: the fixed thread count before each example, in its worker."""
    if fname is not None and when == "before":
        os.environ.update(thread_environment())
        fix_torch_threads()


def setup(app: Sphinx) -> ExtensionMetadata:
    # Before anything this process starts (a loky worker, a thread pool) reads them.
    os.environ.update(thread_environment())
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
