"""The workshops the simulator writes: the four 2021 ones, then synthetic ones, and their sizes."""

from __future__ import annotations

import datetime as dt

__all__ = [
    "LABELS",
    "REGISTRY",
    "REGISTRY_COLUMNS",
    "SLUGS",
    "STATIONS",
    "workshop_registry",
    "workshop_sizes",
]

# directorate_sq, directorate_sr (optional beyond the contract): the directorate as the Albanian
# and the Serbian reports name it.
REGISTRY_COLUMNS = (
    "workshop_id",
    "number",
    "directorate",
    "date",
    "aliases",
    "directorate_sq",
    "directorate_sr",
)
REGISTRY: tuple[dict[str, str], ...] = (
    {
        "workshop_id": "W1",
        "directorate_sr": "Uroševac-Gnjilane i granica",
        "number": "1",
        "directorate": "Ferizaj-Gjilan and Border",
        "directorate_sq": "Ferizaj-Gjilan dhe të Kufirit",
        "date": "2021-03-16",
        "aliases": "Ferizaj-Gjilan|Ferizaj/Gjilan|Ferizaj Gjilan|DRP Ferizaj-Gjilan|DRP Ferizaj|"
        "Ferizaj|Gjilan|Ferizaj-Gjilan dhe Kufirit|Punëtoria 1|"
        "Uroševac-Gnjilane|Uroševac|Gnjilane|Radionica 1",
    },
    {
        "workshop_id": "W2",
        "directorate_sr": "Peć-Đakovica i granica",
        "number": "2",
        "directorate": "Pejë-Gjakovë and Border",
        "directorate_sq": "Pejë-Gjakovë dhe të Kufirit",
        "date": "2021-03-18",
        "aliases": "Pejë-Gjakovë|Peje-Gjakove|Pejë/Gjakovë|DRP Pejë-Gjakovë|DRP Peje|Pejë|Peje|"
        "Gjakovë|Gjakova|Peja|Pejë-Gjakovë dhe Kufirit|Punëtoria 2|"
        "Peć-Đakovica|Peć|Đakovica|Radionica 2",
    },
    {
        "workshop_id": "W3",
        "directorate_sr": "Priština i granica",
        "number": "3",
        "directorate": "Prishtinë and Border",
        "directorate_sq": "Prishtinë dhe të Kufirit",
        "date": "2021-03-23",
        "aliases": "Prishtinë|Prishtine|Prishtina|DRP Prishtinë|DRP Prishtina|"
        "Prishtinë dhe Kufirit|Punëtoria 3|"
        "Priština|Radionica 3",
    },
    {
        "workshop_id": "W4",
        "directorate_sr": "Mitrovica Jug-Sever i granica",
        "number": "4",
        "directorate": "Mitrovicë Jug-Veri (South-North) and Border",
        "directorate_sq": "Mitrovicë Jug-Veri dhe të Kufirit",
        "date": "2021-03-25",
        "aliases": "Mitrovicë Jug-Veri|Mitrovice Jug Veri|Mitrovicë Jug/Veri|Mitrovica South-North|"
        "DRP Mitrovicë|DRP Mitrovica|Mitrovicë|Mitrovica|Mitrovicë Jug-Veri dhe Kufirit|"
        "Punëtoria 4|"
        "Mitrovica Jug-Sever|Kosovska Mitrovica|Radionica 4",
    },
)
#: Participants per workshop of the default data set (74 over the four workshops).
_DEFAULT_SIZES = (18, 19, 20, 17)

# Per-workshop flavour of the exports: labels as typed, stations, file slug.
LABELS = {
    "W1": ("W1", "1", "Ferizaj-Gjilan", "DRP Ferizaj"),
    "W2": ("Pejë-Gjakovë", "peje / gjakove", "2", "w2"),
    "W3": ("DRP Prishtina", "3", "Prishtinë"),
    "W4": ("Mitrovicë Jug-Veri", "Punëtoria 4", "4", "W4"),
}
SLUGS = {"W1": "ferizaj-gjilan", "W2": "peje-gjakove", "W3": "prishtine", "W4": "mitrovice"}
STATIONS = {
    "W1": ("Ferizaj", "Gjilan", "Kaçanik", "Viti", "Kamenicë", "Shtërpcë", "Policia Kufitare"),
    "W2": ("Pejë", "Gjakovë", "Deçan", "Istog", "Klinë", "Junik", "Policia Kufitare"),
    "W3": ("Prishtinë Qendër", "Prishtinë Veri", "Podujevë", "Lipjan", "Fushë Kosovë", "Graçanicë"),
    "W4": ("Mitrovicë Jug", "Mitrovicë Veri", "Vushtrri", "Skenderaj", "Zveçan", "Leposaviq"),
}


def workshop_registry(n_workshops: int) -> list[dict[str, str]]:
    """The registry rows of ``n_workshops`` workshops; beyond W4 one synthetic a week.

    >>> [w["date"] for w in workshop_registry(6)][3:]
    ['2021-03-25', '2021-04-01', '2021-04-08']
    """
    rows = [dict(r) for r in REGISTRY[:n_workshops]]
    last = dt.date(2021, 3, 25)
    for n in range(len(rows) + 1, n_workshops + 1):
        rows.append(
            {
                "workshop_id": f"W{n}",
                "number": str(n),
                "directorate": f"Synthetic directorate {n}",
                "date": (last + dt.timedelta(days=7 * (n - 4))).isoformat(),
                "aliases": f"Synthetic directorate {n}|SD{n}",
                "directorate_sq": f"Drejtoria sintetike {n}",
                "directorate_sr": f"Sintetička direkcija {n}",
            }
        )
    return rows


def workshop_sizes(n_participants: int, n_workshops: int) -> list[int]:
    """Participants per workshop: :data:`_DEFAULT_SIZES` by default, else as even as possible.

    >>> workshop_sizes(74, 4), workshop_sizes(30, 4)
    ([18, 19, 20, 17], [8, 8, 7, 7])
    """
    if (n_participants, n_workshops) == (sum(_DEFAULT_SIZES), len(_DEFAULT_SIZES)):
        return list(_DEFAULT_SIZES)
    base, extra = divmod(n_participants, n_workshops)
    return [base + (1 if i < extra else 0) for i in range(n_workshops)]
