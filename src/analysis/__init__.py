"""Evaluation of the Kosovo Police workshops on public trust and satisfaction (March 2021).

Modules: ``labels`` (folding and normalization rules), ``readers`` (exports, registry, codebook),
``clean`` (the clean step), ``simulate`` (the synthetic data set), ``stats`` (per-workshop
statistics), ``pooled`` (models over all workshops), ``figures``, ``report``.
"""

__version__ = "0.1.0"
