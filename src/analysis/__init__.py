"""Evaluation of the Kosovo Police workshops on public trust and satisfaction (March 2021).

The package follows the data's way, one folder per stage (docs/architecture.md): ``config``
(paths, languages, report layout), ``raw`` (reading the exports, registry and codebook),
``clean`` (the clean step), ``simulate`` (the synthetic data set), ``stats`` (the statistics),
``results`` (the processed data read once and split by workshop), ``present`` (words, tables,
figures), ``build`` (running and rendering the report notebooks).
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
