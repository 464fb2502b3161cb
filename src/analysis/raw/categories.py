"""The demographic answers as categories: ``gender``, ``community``, ``rank`` and ``station``.

What an export holds in these columns is free text typed by the participants or the field
staff. It never reaches ``data/processed/`` as typed: each answer is compared folded (see
:func:`analysis.raw.labels.fold`; spaces left out as well) with the categories below and
their usual spellings in Albanian, English and Serbian, and becomes the category's name;
anything else becomes :data:`OTHER`, and an empty answer stays missing. The lists are
documented in ``data/raw/README.md``.
"""

from __future__ import annotations

from .labels import fold

__all__ = [
    "CATEGORIES",
    "COMMUNITIES",
    "GENDERS",
    "OTHER",
    "RANKS",
    "STATIONS",
    "SYNONYMS",
    "category",
    "category_key",
]

#: The category of every answer that is none of the accepted ones.
OTHER = "other"

GENDERS = ("F", "M")
COMMUNITIES = ("Shqiptar", "Serb", "Turk", "Boshnjak", "Rom", "Ashkali", "Egjiptian", "Goran")
RANKS = ("Polic", "Rreshter", "Toger", "Kapiten")
#: The police stations of the four regional directorates of the workshops (and the border
#: police), as the registry's directorates name them.
STATIONS = (
    # DRP Ferizaj-Gjilan
    "Ferizaj",
    "Gjilan",
    "Kaçanik",
    "Viti",
    "Kamenicë",
    "Shtërpcë",
    # DRP Pejë-Gjakovë
    "Pejë",
    "Gjakovë",
    "Deçan",
    "Istog",
    "Klinë",
    "Junik",
    # DRP Prishtinë
    "Prishtinë Qendër",
    "Prishtinë Veri",
    "Podujevë",
    "Lipjan",
    "Fushë Kosovë",
    "Graçanicë",
    # DRP Mitrovicë Jug-Veri
    "Mitrovicë Jug",
    "Mitrovicë Veri",
    "Vushtrri",
    "Skenderaj",
    "Zveçan",
    "Leposaviq",
    # every directorate
    "Policia Kufitare",
)
CATEGORIES: dict[str, tuple[str, ...]] = {
    "gender": GENDERS,
    "community": COMMUNITIES,
    "rank": RANKS,
    "station": STATIONS,
}

#: Other spellings of each category (compared folded, spaces left out), besides its own name.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "gender": {
        "F": (
            "female",
            "femër",
            "femer",
            "femërore",
            "femra",
            "grua",
            "woman",
            "women",
            "f.",
            "ženski",
            "žensko",
            "žena",
            "женски",
            "женско",
        ),
        "M": (
            "male",
            "mashkull",
            "mashkullore",
            "meshkuj",
            "burrë",
            "man",
            "men",
            "m.",
            "muški",
            "muško",
            "muškarac",
            "мушки",
            "мушко",
        ),
    },
    "community": {
        "Shqiptar": (
            "shqiptare",
            "shqiptarë",
            "shqiptari",
            "shqiptarët",
            "albanian",
            "albanac",
            "albanka",
            "albanski",
            "alb",
        ),
        "Serb": (
            "serbe",
            "serbë",
            "serbian",
            "serbi",
            "srbin",
            "srpkinja",
            "srpski",
            "srb",
            "србин",
            "српкиња",
            "српски",
        ),
        "Turk": ("turke", "turq", "turkish", "turčin", "turkinja", "turski"),
        "Boshnjak": (
            "boshnjake",
            "boshnjakë",
            "bosniak",
            "bosnjak",
            "bošnjak",
            "bošnjakinja",
            "bosnian",
        ),
        "Rom": ("rome", "romë", "roma", "romani", "romkinja", "romski"),
        "Ashkali": ("ashkalie", "ashkalij", "ashkalinj", "ashkalian", "aškalija", "aškali"),
        "Egjiptian": ("egjiptiane", "egjiptianë", "egyptian", "egipćanin", "egipcanin"),
        "Goran": ("gorane", "goranë", "gorani", "goranac", "goranka", "goranski"),
    },
    "rank": {
        "Polic": (
            "policë",
            "police officer",
            "officer",
            "policeman",
            "policewoman",
            "zyrtar",
            "zyrtar policor",
            "policajac",
            "policajka",
            "policist",
        ),
        "Rreshter": ("rreshteri", "sergeant", "narednik"),
        "Toger": ("togeri", "lieutenant", "poručnik"),
        "Kapiten": ("kapiteni", "captain", "kapetan"),
    },
    "station": {
        "Ferizaj": ("ferizaji", "uroševac"),
        "Gjilan": ("gjilani", "gnjilane"),
        "Kaçanik": ("kaçaniku", "kačanik"),
        "Viti": ("vitia", "vitina"),
        "Kamenicë": ("kamenica", "kamenicë"),
        "Shtërpcë": ("shtërpca", "štrpce"),
        "Pejë": ("peja", "peć"),
        "Gjakovë": ("gjakova", "đakovica", "djakovica"),
        "Deçan": ("deçani", "dečani"),
        "Istog": ("istogu", "istok"),
        "Klinë": ("klina",),
        "Junik": ("juniku",),
        "Prishtinë Qendër": (
            "prishtina qendër",
            "prishtina qendra",
            "prishtinë qendra",
            "prishtina center",
            "prishtina centre",
            "priština centar",
        ),
        "Prishtinë Veri": ("prishtina veri", "prishtina north", "priština sever"),
        "Podujevë": ("podujeva", "podujevo"),
        "Lipjan": ("lipjani", "lipljan"),
        "Fushë Kosovë": ("fushë kosova", "kosovo polje"),
        "Graçanicë": ("graçanica", "gračanica"),
        "Mitrovicë Jug": (
            "mitrovica jug",
            "mitrovica south",
            "mitrovicë e jugut",
            "južna mitrovica",
        ),
        "Mitrovicë Veri": (
            "mitrovica veri",
            "mitrovica north",
            "mitrovicë e veriut",
            "severna mitrovica",
        ),
        "Vushtrri": ("vushtrria", "vučitrn"),
        "Skenderaj": ("skenderaji", "srbica"),
        "Zveçan": ("zveçani", "zvečan"),
        "Leposaviq": ("leposaviqi", "leposavić"),
        "Policia Kufitare": ("policia e kufirit", "kufiri", "border police", "granična policija"),
    },
}
#: Words a station's name may be typed with in front of it.
_STATION_PREFIXES = ("stacionipolicor", "stacioni", "sp", "policestation", "policijskastanica")


def category_key(text: object) -> str:
    """The form answers are compared in: folded, spaces left out.

    >>> category_key(" Fushë-Kosovë "), category_key("FEMËR")
    ('fushekosove', 'femer')
    """
    return fold(text).replace(" ", "")


_LOOKUP: dict[str, dict[str, str]] = {
    column: {
        category_key(spelling): name
        for name in names
        for spelling in (name, *SYNONYMS[column].get(name, ()))
    }
    for column, names in CATEGORIES.items()
}


def category(column: str, value: object) -> str | None:
    """The category of an answer in the demographic ``column``: the category's name, or
    :data:`OTHER` for any other answer, or ``None`` for an empty one.

    >>> category("gender", "Femër"), category("community", "Albanian"), category("rank", "x")
    ('F', 'Shqiptar', 'other')
    >>> category("station", "Stacioni Policor Fushë Kosova"), category("station", "  ")
    ('Fushë Kosovë', None)
    """
    key = category_key(value)
    if not key:
        return None
    lookup = _LOOKUP[column]
    if key in lookup:
        return lookup[key]
    if column == "station":
        for prefix in _STATION_PREFIXES:
            if key.startswith(prefix) and key[len(prefix) :] in lookup:
                return lookup[key[len(prefix) :]]
    return OTHER
