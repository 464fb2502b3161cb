"""nbval set-up for the notebooks and the committed reports.

- Executed reports under reports/ are compared strictly with their stored outputs, figures (PNG)
  included; the source notebooks under notebooks/ must execute with their defaults (no stored
  outputs to compare).
- Re-executed notebooks write their figures, tables and summary into a scratch folder, never
  over the committed files: the source notebooks and the committed reports alike have
  ``out_dir = None`` (the build records a report's own folder in its metadata only), so they
  write into the scratch folder, which the suite points at a temporary folder
  (``ANALYSIS_SCRATCH``).
"""

from __future__ import annotations

import os
import tempfile

import pytest

_SCRATCH = tempfile.TemporaryDirectory(prefix="nbval-out-")


def pytest_configure(config):
    """Send every notebook's files to the scratch folder and make plotting headless."""
    os.environ.setdefault("ANALYSIS_SCRATCH", _SCRATCH.name)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")


def pytest_collectstart(collector):
    """Compare PNG figures too; source notebooks are run without comparing outputs."""
    try:
        from nbval.plugin import IPyNbFile
    except ImportError:  # nbval not installed: nothing to configure
        return
    if isinstance(collector, IPyNbFile):
        collector.skip_compare = tuple(k for k in collector.skip_compare if k not in ("image/png",))
        if "notebooks" in collector.path.parts:
            collector.compare_outputs = False


@pytest.fixture(scope="session")
def report_scratch():
    """The folder re-executed notebooks write into."""
    return _SCRATCH.name
