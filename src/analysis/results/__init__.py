"""The results stage: between the clean step and the reports.

The processed data is read once (:func:`load`) and split by workshop once (:func:`workshop`);
every language-independent result of every report (each workshop and the pooled report) is
computed once (:func:`compute`, by the functions named in :data:`WORKSHOP_RESULTS` and
:data:`POOLED_RESULTS`) and written to ``data/results`` (:func:`write`, ``python -m analysis
results``). A notebook gets its report's results by one call, :func:`for_report`, which reads
that folder when it is current and computes the same values otherwise.
"""

from .compute import POOLED_RESULTS, WORKSHOP_RESULTS, ReportResults, compute
from .processed import (
    FLOW_FILE,
    MIN_POOLED,
    REGISTRY_FILE,
    Coverage,
    Processed,
    WorkshopData,
    coverage,
    load,
    resolve_workshop,
    workshop,
    workshop_ids,
)
from .store import (
    code_digest,
    for_report,
    is_current,
    read,
    results_dir,
    summary_of,
    write,
)

__all__ = [
    "FLOW_FILE",
    "MIN_POOLED",
    "POOLED_RESULTS",
    "REGISTRY_FILE",
    "WORKSHOP_RESULTS",
    "Coverage",
    "Processed",
    "ReportResults",
    "WorkshopData",
    "code_digest",
    "compute",
    "coverage",
    "for_report",
    "is_current",
    "load",
    "read",
    "resolve_workshop",
    "results_dir",
    "summary_of",
    "workshop",
    "workshop_ids",
    "write",
]
