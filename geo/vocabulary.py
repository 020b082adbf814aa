"""Controlled values of the record schema, and the words archives use for them."""

from __future__ import annotations

from geo.names import fold

CATEGORIES = ("political_emigrant", "labour_immigrant", "specialist", "deportation", "evacuation",
              "repatriation", "re_emigration", "arrest", "camp_transfer", "resettlement")
UNITS = ("persons", "families", "households")

_CATEGORY_WORDS = {
    "political_emigrant": ("political emigrant", "political emigrants", "политэмигрант", "политэмигранты",
                           "политический эмигрант", "политические эмигранты", "шуцбундовец", "шуцбундовцы",
                           "schutzbund", "мопр"),
    "labour_immigrant": ("labour immigrant", "labor immigrant", "labour immigrants", "рабочий-иммигрант",
                         "рабочие-иммигранты", "иммигрант", "иммигранты", "интергельпо", "interhelpo", "аик кузбасс"),
    "specialist": ("specialist", "specialists", "иностранный специалист", "иностранные специалисты", "специалист",
                   "специалисты", "инженер", "инженеры"),
    "deportation": ("deportation", "deportees", "deported", "special settlers", "спецпереселенцы", "спецпереселенец",
                    "выселенные", "выселенцы", "депортированные", "депортация", "трудпоселенцы", "ссыльные",
                    "жер аударылғандар"),
    "evacuation": ("evacuation", "evacuees", "эвакуированные", "эвакуация", "дети-эвакуированные", "эвакуированные дети"),
    "repatriation": ("repatriation", "repatriates", "репатриация", "репатрианты"),
    "re_emigration": ("re-emigration", "re emigration", "реэмиграция", "реэмигранты"),
    "arrest": ("arrest", "arrested", "арестован", "арестована", "арестованы", "арест", "заключенные", "заключённые"),
    "camp_transfer": ("camp transfer", "этап", "этапирован", "этапированы"),
    "resettlement": ("resettlement", "переселение", "переселенцы", "плановое переселение"),
}
_NATIONALITY_WORDS = {
    "German": ("немец", "немцы", "немка", "german", "germans", "немецкая"),
    "Polish": ("поляк", "поляки", "полька", "polish", "poles"),
    "Austrian": ("австриец", "австрийцы", "austrian", "austrians"),
    "Hungarian": ("венгр", "венгры", "hungarian", "hungarians", "мадьяры"),
    "Spanish": ("испанец", "испанцы", "spanish", "spaniards"),
    "Lithuanian": ("литовец", "литовцы", "lithuanian", "lithuanians"),
    "Latvian": ("латыш", "латыши", "latvian", "latvians"),
    "Estonian": ("эстонец", "эстонцы", "estonian", "estonians"),
    "Finnish": ("финн", "финны", "finnish", "finns"),
    "Czech": ("чех", "чехи", "czech", "czechs"),
    "Czechoslovak": ("чехословак", "чехословаки", "czechoslovak", "czechoslovaks", "чехи и словаки"),
    "Slovak": ("словак", "словаки", "slovak", "slovaks"),
    "Bulgarian": ("болгарин", "болгары", "bulgarian", "bulgarians"),
    "Italian": ("итальянец", "итальянцы", "italian", "italians"),
    "Greek": ("грек", "греки", "greek", "greeks"),
    "American": ("американец", "американцы", "american", "americans"),
    "African American": ("афроамериканец", "афроамериканцы", "african american", "african americans",
                         "african-american", "african-americans"),
    "Russian-American": ("русский американец", "русские американцы", "russian-american", "russian-americans",
                         "russian american", "russian americans"),
    "Ukrainian": ("украинец", "украинцы", "ukrainian", "ukrainians"),
    "Russian": ("русский", "русские", "russian", "russians"),
    "Korean": ("кореец", "корейцы", "korean", "koreans"),
    "Chechen": ("чеченец", "чеченцы", "chechen", "chechens"),
    "Ingush": ("ингуш", "ингуши", "ingush"),
    "Karachay": ("карачаевец", "карачаевцы", "karachay", "karachays"),
    "Balkar": ("балкарец", "балкарцы", "balkar", "balkars"),
    "Kalmyk": ("калмык", "калмыки", "kalmyk", "kalmyks"),
    "Crimean Tatar": ("крымские татары", "крымский татарин", "crimean tatar", "crimean tatars"),
    "Meskhetian Turk": ("турки-месхетинцы", "месхетинцы", "meskhetian turks", "meskhetian turk"),
    "Jewish": ("еврей", "евреи", "jewish", "jews"),
    "Romanian": ("румын", "румыны", "romanian", "romanians"),
    "Kurdish": ("курд", "курды", "курдский", "kurdish", "kurds"),
    "Yugoslav": ("югослав", "югославы", "yugoslav", "yugoslavs"),
    "Polish and German": ("поляки и немцы", "poles and germans"),
    "Finnish and Russian": ("финны и русские", "finns and russians"),
    "Chechen and Ingush": ("чеченцы и ингуши", "вайнахи", "chechens and ingush", "vainakh"),
    "Kazakh": ("казах", "казахи", "kazakh", "kazakhs", "қазақ"),
    "Swiss": ("швейцарец", "швейцарцы", "швейцарка", "swiss"),
}
_UNIT_WORDS = {
    "persons": ("", "person", "people", "чел", "чел.", "человек", "люди", "душ", "адам"),
    "families": ("family", "семья", "семьи", "семей", "сем.", "отбасы", "отбасылар", "отбасы саны"),
    "households": ("household", "хозяйство", "хозяйства", "хозяйств", "двор", "дворы", "дворов", "шаруашылық", "түтін"),
}
_CATEGORY_INDEX = {fold(w): c for c, words in _CATEGORY_WORDS.items() for w in words + (c, c.replace("_", " "))}
_NATIONALITY_INDEX = {fold(w): n for n, words in _NATIONALITY_WORDS.items() for w in words + (n,)}
_UNIT_INDEX = {fold(w).strip(): u for u, words in _UNIT_WORDS.items() for w in words + (u,)}


def category(text: str) -> str | None:
    """The canonical category for a word archives use, or None when unknown."""
    return _CATEGORY_INDEX.get(fold(str(text)).strip())


def nationality(text: str) -> str | None:
    """The canonical (English) nationality for an ethnonym, or None when unknown."""
    return _NATIONALITY_INDEX.get(fold(str(text)).strip())


def unit(text: str) -> str | None:
    """The canonical unit of a count (``persons``, ``families``, ``households``), or None when unknown.

    An empty cell means persons (the schema's default). Only a count in persons is ever summed as
    people; a count of families or households is kept as written.
    """
    return _UNIT_INDEX.get(fold(str(text if text is not None else "")).strip())
