"""The questionnaire for collecting: the XLSForm made from the codebook and the registry."""

from .xlsform import (
    DEFAULT_OUT,
    LIKERT_NAMES,
    OPTION_NAMES,
    form_languages,
    language_name,
    write_xlsform,
    xlsform_bytes,
    xlsform_sheets,
)

__all__ = [
    "DEFAULT_OUT",
    "LIKERT_NAMES",
    "OPTION_NAMES",
    "form_languages",
    "language_name",
    "write_xlsform",
    "xlsform_bytes",
    "xlsform_sheets",
]
