"""The build: which reports to make (``plan``), whether they are current (``cache``), running
the notebooks (``run``), rendering them for reviewers (``render``) and the index (``index``)."""

from .cache import CACHE_FILE, cache_key, data_fingerprint, outputs_digest, stale_jobs
from .index import write_indexes
from .plan import Job, plan
from .render import render_html, scrub
from .run import execute, run_reports

__all__ = [
    "CACHE_FILE",
    "Job",
    "plan",
    "cache_key",
    "data_fingerprint",
    "outputs_digest",
    "stale_jobs",
    "execute",
    "run_reports",
    "render_html",
    "scrub",
    "write_indexes",
]
