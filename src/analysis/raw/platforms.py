"""The exports of survey tools: one small adapter per tool (Google Forms, Microsoft Forms,
KoboToolbox, ODK Central, LimeSurvey, Qualtrics), each recognized by the tool's own metadata
columns, and :class:`Spreadsheet`, any other table; every header is matched through the
codebook (:mod:`analysis.raw.headers`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import pandas as pd

from ..errors import DataError
from .contract import (
    FROM_SOURCES,
    REQUIRED_COLUMNS,
    Contracted,
    contract_frame,
    knowledge_items,
)
from .headers import HeaderMatch, HeaderMatcher, short_list
from .labels import unformat, visible
from .readers import RawTable, to_frame

__all__ = [
    "missing_columns_error",
    "google_timestamp",
    "PlatformExport",
    "GoogleForms",
    "MicrosoftForms",
    "KoboToolbox",
    "OdkCentral",
    "LimeSurvey",
    "Qualtrics",
    "Spreadsheet",
    "SPREADSHEET",
    "TOOLS",
]


def missing_columns_error(
    table: RawTable, columns: Collection[str], codebook: pd.DataFrame, read_as: str = ""
) -> DataError | None:
    """The error naming the required columns (and knowledge items) ``columns`` lacks, if any.

    It lists the first columns the file has, the survey tool whose layout the file resembles
    (or ``read_as``, the adapter that read it), and what to change.
    """
    knowledge = knowledge_items(codebook)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    lacking = [i for i in knowledge if i.lower() not in columns]
    if not lacking and set(missing) <= set(FROM_SOURCES):
        return None  # a workshop or phase the file lacks may come from data/raw/sources.csv
    if len(lacking) == len(knowledge) > 3:  # none matched: the codebook's range, not a list
        missing.append(f"every knowledge item ({knowledge[0]}..{knowledge[-1]})")
    else:
        missing += lacking
    written = [unformat(h).strip() for h in table.rows[0] if unformat(h).strip()]
    tool = read_as or _resemblance(table.rows[0])
    looks = f" It looks like a {tool}." if tool else ""
    return DataError(
        f"{table.path}: lacks the required column(s) {', '.join(missing)}. It has the columns "
        f"{short_list(written)} ({len(written)} in all).{looks} An export needs "
        f"participant_code, workshop, phase and one column per knowledge item of the "
        f"codebook ({knowledge[0]}..{knowledge[-1]}); header names are matched ignoring case, "
        "accents, surrounding spaces, punctuation and quotes, a group prefix (group_x/, "
        "group-) and a trailing ' *'. Head each item's column with its item_id, its question "
        "text in a codebook language or one of its codebook aliases, and the required columns "
        "with a name listed in data/raw/README.md (participant code, kodi, šifra; workshop, "
        "punëtoria, radionica; phase, faza, test)."
    )


_GOOGLE_TIME = re.compile(
    r"(\d{4})/(\d{1,2})/(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s*([AaPp][Mm])?"
    r"\s*(?:GMT|UTC)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?"
)


def google_timestamp(text: str) -> str:
    """A Google Forms ``Timestamp`` as ISO 8601 with its offset; other text unchanged.

    >>> google_timestamp("2021/03/16 9:31:02 AM GMT+1")
    '2021-03-16T09:31:02+01:00'
    >>> google_timestamp("2021/03/16 1:05:00 PM GMT"), google_timestamp("16.03.2021")
    ('2021-03-16T13:05:00+00:00', '16.03.2021')
    """
    m = _GOOGLE_TIME.fullmatch(text.strip())
    if not m:
        return text
    year, month, day, hour, minute, second, ampm, sign, oh, om = m.groups()
    h = int(hour)
    if ampm:
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    offset = f"{sign or '+'}{int(oh or 0):02d}:{int(om or 0):02d}"
    return f"{year}-{int(month):02d}-{int(day):02d}T{h:02d}:{minute}:{second}{offset}"


class PlatformExport:
    """An export of a survey tool: recognized by its metadata columns (``signature``, every
    one present), which are dropped (``platform``, ``platform_prefixes``) but for the
    submission time (``submitted``, taken as ``submitted_at``); every other header is matched
    through the codebook (:class:`~analysis.raw.headers.HeaderMatcher`)."""

    name = "platform"
    tool = "survey tool"
    signature: tuple[str, ...] = ()
    platform: tuple[str, ...] = ()
    platform_prefixes: tuple[str, ...] = ()
    submitted: str | None = None

    def matches(self, header: Sequence[str], first_rows: Sequence[Sequence[str]]) -> bool:
        """True when the header holds every column of the tool's ``signature``."""
        return bool(self.signature) and all(c in header for c in self.signature)

    def header_rows(self, table: RawTable) -> int:
        """How many rows at the top of the table are header rows (one, the header)."""
        return 1

    def candidates(self, table: RawTable, n_header: int) -> list[list[str]]:
        """Each column's headers to match, in order (the first row's)."""
        return [[h] for h in table.rows[0]]

    def submitted_text(self, text: str) -> str:
        """A submission time as the contract reads it (unchanged)."""
        return text

    def is_platform(self, header: str) -> bool:
        """True for a metadata column of the tool (``header`` trimmed, lower-cased)."""
        return header in self.platform or header.startswith(self.platform_prefixes)

    def platform_columns(self, written: Sequence[str]) -> list[str]:
        """The headers (as written, trimmed) of ``written`` that are the tool's columns."""
        cells = [unformat(h).strip() for h in written]
        return [h for h in cells if h and self.is_platform(h.lower())]

    def to_contract(self, table: RawTable, codebook: pd.DataFrame) -> Contracted:
        """Drop the tool's columns, take its submission time, match the other headers."""
        n_header = self.header_rows(table)
        frame = to_frame(table, contract=(), header_rows=n_header)
        lower = table.header
        submitted = self.submitted
        skip = [self.is_platform(h) or h == submitted for h in lower]
        mapped = HeaderMatcher(codebook).match(self.candidates(table, n_header), table.path, skip)
        if submitted in lower and not any(m.target == "submitted_at" for m in mapped):
            j = lower.index(submitted) + 1
            header = unformat(table.rows[0][j - 1]).strip()
            mapped = sorted(
                [*mapped, HeaderMatch(j, header, "submitted_at", f"{self.tool} submission time")],
                key=lambda m: m.column,
            )
            frame.iloc[:, 1 + j] = frame.iloc[:, 1 + j].map(self.submitted_text, na_action="ignore")
        columns = {m.target: m.column for m in mapped}
        read_as = ""
        if self.platform:
            read_as = f"{self.tool} export: {short_list(self.platform_columns(table.rows[0]), 5)}"
        error = missing_columns_error(table, {t.lower() for t in columns}, codebook, read_as)
        if error:
            raise error
        used = {m.column for m in mapped}
        dropped = [
            visible(unformat(h).strip()) or f"(column {j})"
            for j, h in enumerate(table.rows[0], start=1)
            if j not in used
        ]
        return Contracted(contract_frame(frame, columns, codebook), dropped, mapped, self.name)


class GoogleForms(PlatformExport):
    """Google Forms CSV: ``Timestamp`` (``2021/03/16 9:31:02 AM GMT+1``, offset kept),
    ``Email Address``, ``Score``, one column per question headed by its text."""

    name = tool = "Google Forms"
    signature = ("timestamp",)
    platform = ("timestamp", "email address", "score", "email")
    submitted = "timestamp"

    def submitted_text(self, text: str) -> str:
        """The ``Timestamp`` as ISO 8601 with its offset (:func:`google_timestamp`)."""
        return google_timestamp(text)


class MicrosoftForms(PlatformExport):
    """Microsoft Forms XLSX: ``ID``, ``Start time``, ``Completion time`` (the submission),
    ``Email``, ``Name``, ``Last modified time``, ``Total points``, ``Quiz feedback``, the
    questions, and a ``Points - <question>`` / ``Feedback - <question>`` pair per question."""

    name = tool = "Microsoft Forms"
    signature = ("id", "start time", "completion time")
    platform = (
        "id",
        "start time",
        "completion time",
        "email",
        "name",
        "last modified time",
        "total points",
        "quiz feedback",
        "grade posted time",
    )
    platform_prefixes = ("points - ", "feedback - ")
    submitted = "completion time"


_KOBO_META = (
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
    "_attachments",
    "_geolocation",
    "_xform_id_string",
    "meta/instanceid",
    "meta/rootuuid",
    "meta/deprecatedid",
    "formhub/uuid",
)


class KoboToolbox(PlatformExport):
    """KoboToolbox XLSX or CSV, "labels" or "XML values and headers", with or without group
    prefixes, with the metadata columns (``_uuid``, ``_submission_time``, ...) and an optional
    second header row of HXL tags (``#...``)."""

    name = tool = "KoboToolbox"
    signature = ("_uuid", "_submission_time")
    platform = _KOBO_META
    submitted = "_submission_time"

    def header_rows(self, table: RawTable) -> int:
        """Two when row 2 holds HXL tags (every non-empty cell ``#...``), else one."""
        if len(table.rows) > 1:
            cells = [c.strip() for c in table.rows[1] if c.strip()]
            if cells and all(c.startswith("#") for c in cells):
                return 2
        return 1


class OdkCentral(PlatformExport):
    """ODK Central CSV: ``SubmissionDate``, groups joined with ``-`` (``knowledge-K01``),
    ``meta-instanceID``, ``KEY``, ``SubmitterID``, ... ``FormVersion``."""

    name = tool = "ODK Central"
    signature = ("submissiondate", "key")
    platform = (
        "submissiondate",
        "key",
        "submitterid",
        "submittername",
        "attachmentspresent",
        "attachmentsexpected",
        "status",
        "reviewstate",
        "deviceid",
        "edits",
        "formversion",
        "start",
        "end",
        "today",
    )
    platform_prefixes = ("meta-",)
    submitted = "submissiondate"


class LimeSurvey(PlatformExport):
    """LimeSurvey CSV: question codes as headers, ``id``, ``submitdate`` (empty when the
    response is incomplete), ``lastpage``, ``startlanguage``, ``seed``, ..."""

    name = tool = "LimeSurvey"
    signature = ("id", "submitdate")
    platform = (
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "token",
        "startdate",
        "datestamp",
        "ipaddr",
        "refurl",
        "interviewtime",
    )
    submitted = "submitdate"


class Qualtrics(PlatformExport):
    """Qualtrics CSV: three header rows (question ids, question texts, ``{"ImportId": ...}``),
    ``StartDate``, ``EndDate``, ``Status``, ``RecordedDate`` (the submission), ``ResponseId``."""

    name = tool = "Qualtrics"
    signature = ("responseid", "recordeddate")
    platform = (
        "startdate",
        "enddate",
        "status",
        "ipaddress",
        "progress",
        "duration (in seconds)",
        "finished",
        "recordeddate",
        "responseid",
        "externalreference",
        "distributionchannel",
        "userlanguage",
    )
    platform_prefixes = ("recipient", "location")
    submitted = "recordeddate"

    def header_rows(self, table: RawTable) -> int:
        """Three when row 3 holds the ``{"ImportId": ...}`` tags, else one (an export without
        them)."""
        if len(table.rows) > 2 and any('"importid"' in c.lower() for c in table.rows[2]):
            return 3
        return 1

    def candidates(self, table: RawTable, n_header: int) -> list[list[str]]:
        """The question id (row 1), then the question text (row 2, when there are three)."""
        if n_header < 3:
            return super().candidates(table, n_header)
        return [[a, b] for a, b in zip(table.rows[0], table.rows[1], strict=True)]


class Spreadsheet(PlatformExport):
    """Any other table (a sheet typed by hand, an unknown tool): every header matched through
    the codebook; read last, when no other adapter matches."""

    name = tool = "spreadsheet"

    def matches(self, header: Sequence[str], first_rows: Sequence[Sequence[str]]) -> bool:
        """Always true: the adapter of last resort."""
        return True


SPREADSHEET = Spreadsheet()

#: The survey tools' adapters, in the order they are asked (the most specific first).
TOOLS: tuple[PlatformExport, ...] = (
    KoboToolbox(),
    OdkCentral(),
    Qualtrics(),
    LimeSurvey(),
    MicrosoftForms(),
    GoogleForms(),
)


def _resemblance(header: Sequence[str]) -> str:
    """The survey tool whose columns a header (as written) holds most of, with those of its
    columns that it holds (``Google Forms export: Timestamp, ...``); empty when none holds
    two of them, one of its ``signature`` among them."""
    best, hits = "", []
    for fmt in TOOLS:
        if not fmt.platform:
            continue
        found = fmt.platform_columns(header)
        signed = any(h.lower() in fmt.signature for h in found)
        if signed and len(found) >= 2 and len(found) > len(hits):
            best, hits = fmt.tool, found
    return f"{best} export: {short_list(hits, 5)}" if hits else ""
