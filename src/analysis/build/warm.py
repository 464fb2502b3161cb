"""One warm kernel per build worker, reused for its notebooks, reset to a fresh state between.

A kernel costs about 3-4 s of CPU before a notebook's first line has done anything useful:
starting the process and importing pandas, scipy, statsmodels, matplotlib and seaborn. A build
worker therefore keeps the kernel of its first notebook and runs every later notebook on it,
after :data:`RESET` has put the kernel back into the state of a fresh one: an empty namespace,
the execution count at 1, the autoreload extension unloaded (so that the notebook's
``%load_ext autoreload`` loads it again without output; in a reused kernel it loads an inert
``autoreload`` whose ``%autoreload`` does nothing: no source changes during a build, and the
real one checks every module before every cell, about 15 ms a cell), matplotlib's settings as
at start-up and the warnings registries emptied (a warning shown by one notebook is shown by
the next too).
The executed notebooks are the same bytes as from a fresh kernel (tested: ``test_warm_kernel``).

The kernel is ended at once (``now=True``: no interrupt, no wait for a graceful exit) when the
worker ends, or when a notebook failed in a way that may have left the kernel in an unknown
state. papermill runs the notebook through the engine :data:`ENGINE`, registered here, which
hands papermill's notebook client the warm kernel instead of letting it start one.
"""

from __future__ import annotations

import atexit
import contextlib
from typing import Any

__all__ = ["ENGINE", "RESET", "current", "register_engine", "shutdown"]

#: The papermill engine name under which the warm kernel is used.
ENGINE = "analysis-warm"

#: Run silently in a reused kernel before each notebook: the state of a fresh kernel.
RESET = """\
def _analysis_reset():
    import sys
    import warnings

    ip = get_ipython()
    magics = ip.magics_manager.registry.get("AutoreloadMagics")
    if magics is not None:
        for event, callback in (
            ("pre_run_cell", magics.pre_run_cell),
            ("post_execute", magics.post_execute_hook),
        ):
            try:
                ip.events.unregister(event, callback)
            except ValueError:
                pass
        ip.magics_manager.registry.pop("AutoreloadMagics", None)
    for name in ("autoreload", "IPython.extensions.autoreload"):
        ip.extension_manager.loaded.discard(name)
    mpl = sys.modules.get("matplotlib")
    if mpl is not None:
        mpl.rcParams.update({k: v for k, v in mpl.rcParamsOrig.items() if k != "backend"})
    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:
        mutated()
    if "autoreload" not in sys.modules:  # inert in a build: no source changes during one
        import types

        inert = types.ModuleType("autoreload", "autoreload, inert: nothing reloads in a build")

        def load_ipython_extension(shell):
            shell.register_magic_function(lambda line: None, "line", "autoreload")

        inert.load_ipython_extension = load_ipython_extension
        sys.modules["autoreload"] = inert
    ip.reset(new_session=True)


_analysis_reset()
"""


class _WarmKernel:
    """The kernel manager and client of the worker's kernel (None until the first notebook)."""

    def __init__(self) -> None:
        self.km: Any = None
        self.kc: Any = None
        self.used = False

    def reset(self) -> None:
        """Put a used kernel back into the state of a fresh one (:data:`RESET`); a kernel that
        does not answer, or answers with an error, is ended and the next notebook starts one."""
        if self.km is None or not self.used:
            return
        from jupyter_core.utils import run_sync

        try:
            if not run_sync(self.km.is_alive)():
                raise RuntimeError("the kernel died")
            reply = run_sync(self.kc.execute_interactive)(
                RESET, silent=True, store_history=False, timeout=60
            )
            if reply["content"].get("status") != "ok":
                raise RuntimeError("the reset failed")
        except Exception:
            self.end()

    def end(self) -> None:
        """End the kernel at once (no interrupt, no graceful wait) and forget it."""
        from jupyter_core.utils import run_sync

        km, kc = self.km, self.kc
        self.km = self.kc = None
        self.used = False
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if km is not None:
            with contextlib.suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)
            with contextlib.suppress(Exception):
                run_sync(km.cleanup_resources)()


#: This process's warm kernel.
current = _WarmKernel()


def shutdown() -> None:
    """End this process's warm kernel (at a worker's exit)."""
    current.end()


def register_engine() -> None:
    """Register :data:`ENGINE` with papermill (in each worker; registering again replaces it)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine on the worker's warm kernel."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            from papermill.engines import logger

            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                shutdown_kernel="immediate",
            )
            current.reset()
            client = PapermillNotebookClient(nb_man, km=current.km, **final)
            client.kc = current.kc
            try:
                nb = client.execute(cleanup_kc=False)
            except BaseException:
                current.km, current.kc = client.km, client.kc
                current.end()  # an unknown state: the next notebook gets a fresh kernel
                raise
            current.km, current.kc, current.used = client.km, client.kc, True
            return nb

    papermill_engines.register(ENGINE, WarmEngine)
    atexit.register(shutdown)  # a process that is no pool worker (those end it by Finalize)
