"""The tie-break rules: which of several places a name means, in a fixed and readable order.

When a name fits several places (``Odessa``: the Ukrainian port and five towns in the United
States), the rules below are tried **in the order of** :data:`RULES`. Each rule may keep a
subset of the candidates and pass over the rest; it is skipped when it would keep all or none
of them. The first rule that leaves one candidate chooses it, and the answer says which rule
that was and which candidates were passed over, by which rule. When the rules leave several,
the name is reported **ambiguous** with them: a wrong place is worse than an honest
"ambiguous", so no rule guesses.

A rule is a function ``rule(candidates, context) -> (kept, reason) | None``. A rule that keeps
*none* stops the rules: the record says something no candidate fits, so nothing is chosen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

#: How much more populous one candidate must be than every other to be chosen by population.
DOMINANCE = 25.0
#: A place named beside the name ("Pokrovsk, Saratov") picks candidates within this distance (km).
HINT_KM = 150.0
#: GeoNames places under this many people are villages and settlements (see atlas_place_over_village).
VILLAGE_POPULATION = 15_000
#: An alternate name of this many letters or fewer is too short to choose a place by (see alias_against_own_name).
SHORT_ALIAS_LETTERS = 3


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


@dataclass(frozen=True)
class Focus:
    """The region the atlas is about: a candidate inside it wins over namesakes outside.

    Parameters
    ----------
    name : str
        Short name (``europe-ussr``, ``ussr``, ``none`` or the codes given).
    countries : frozenset of str
        ISO 3166-1 alpha-2 codes of today's countries inside the region; empty: no prior.
    label : str
        How the answer's note names it.
    """

    name: str
    countries: frozenset[str]
    label: str

    def contains(self, country: str) -> bool:
        return country in self.countries

    @property
    def active(self) -> bool:
        return bool(self.countries)


@dataclass
class Candidate:
    """One distinct place a name may mean."""

    place_id: str
    name: str
    country: str
    lat: float
    lon: float
    population: float
    kind: str  # city, settlement, camp, republic, region, country, user ...
    match: str  # user, curated, exact, alternate, fuzzy:NN
    curated: bool  # the place is in the atlas's curated list (or a user's supplement)
    uses: tuple[tuple[float, float], ...] = ()  # years this name was in use for this place; () = not dated
    reading: str = ""  # set when the name met this place only through the Latin reading of another script
    positions: tuple[int, ...] = ()  # its entries in the name index
    spelled: frozenset[str] = frozenset()  # for a spelling match: the keys (spellings) it was matched through
    namesake_of: str = ""  # set on a larger place added because the name is also a spelling of its name

    def status(self, year: int | None) -> str:
        """``then`` (this name was in use in ``year``), ``before`` (a former name), ``later``
        (the place got this name only after ``year``) or ``undated``."""
        if not self.uses or year is None:
            return "undated"
        if any((math.isnan(a) or a <= year) and (math.isnan(b) or year <= b) for a, b in self.uses):
            return "then"
        if all(not math.isnan(a) and year < a for a, b in self.uses):
            return "later"
        return "before"

    def label(self) -> str:
        pop = f", {int(self.population):,} people" if self.population > 0 else ""
        return f"{self.name} ({self.country or '?'}{pop})"

    def describe(self) -> dict:
        return {"name": self.name, "country": self.country, "lat": round(self.lat, 4), "lon": round(self.lon, 4),
                "population": int(self.population), "place_id": self.place_id, "kind": self.kind}


@dataclass
class Context:
    """What a record says besides the name, given to every rule."""

    year: int | None = None
    hint: str = ""  # text in brackets or after a comma: "Петропавловск (Казахстан)"
    hint_matches: Callable[[Candidate], bool] | None = None  # does the hint name a unit holding the candidate
    hint_point: tuple[float, float] | None = None  # the hint resolved as a place
    other_polity: str | None = None  # the state holding the other end of the route on the date
    polity_of: Callable[[Candidate], str] | None = None  # the state holding a candidate on the date
    other_republic: str | None = None  # the Soviet union republic holding the other end on the date
    republic_of: Callable[[Candidate], str] | None = None  # the union republic holding a candidate on the date
    focus: Focus | None = None
    name: str = ""  # the name as looked up (without the hint)


Rule = Callable[[list[Candidate], Context], "tuple[list[Candidate], str] | None"]


def user_decision(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """The user's own decision. A place from the user's supplement (a decision on the import
    page, a supplement file) wins over every other place of that name."""
    kept = [c for c in cands if c.match == "user"]
    return (kept, "the user's supplement") if kept else None


def region_named_in_text(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """The region written with the name. "Петропавловск (Казахстан)", "Toledo, Ohio" or
    "Malinovka, Akmolinsk oblast": the candidate lying in the country, state, province,
    republic or oblast so named (today, or in any year 1918-1991) is kept; if the words name a
    town instead ("Pokrovsk, Saratov"), the candidates within 150 km of it are kept. When the
    words fit none of the candidates, no later rule may overrule the text: the name is
    reported ambiguous (Toledo, Ohio is never Toledo in Spain)."""
    if not ctx.hint:
        return None
    if ctx.hint_matches is not None:
        kept = [c for c in cands if ctx.hint_matches(c)]
        if kept:
            return kept, f"the region named in the text ({ctx.hint})"
    if ctx.hint_point is not None:
        kept = [c for c in cands if km((c.lat, c.lon), ctx.hint_point) <= HINT_KM]
        if kept:
            return kept, f"the place named in the text ({ctx.hint}), within {HINT_KM:.0f} km"
    return [], f"the text adds {ctx.hint!r}, which fits none of the candidates"


def close_spellings(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """Close spellings of different names. When a name is found only by spelling (one slip away) and it
    is equally close to two different names (``Pavlodarr``-like slips of two towns), no rule may pick one
    of them by size or region: a spelling match is weak evidence, and two equally close ones are none.
    The rules stop and the name is reported ambiguous with both (unless the text named a region)."""
    spelled = [c.spelled for c in cands if c.spelled]
    if len(spelled) < 2 or not any(a.isdisjoint(b) for i, a in enumerate(spelled) for b in spelled[i + 1:]):
        return None
    return [], "the name is one slip from several different names: " + ", ".join(sorted(set().union(*spelled)))


def exonym_of_a_larger_namesake(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """An exonym that may mean a larger namesake. When a name is known only as an alternate (foreign or
    former) name of a place, and it is also a spelling of a name borne by a place 25 times larger in the
    focus region (Hungarian ``Rosztov`` is listed for Rostov Veliky, and is a spelling of ``Rostov``, which
    is also Rostov-on-Don), the alternate name is no evidence between them: the rules stop and the name is
    reported ambiguous with both (unless the text named a region). The larger place is among the
    candidates only for this rule (see :class:`~geo.gazetteer.resolver.Gazetteer`)."""
    larger = [c for c in cands if c.namesake_of]
    if not larger:
        return None
    return [], ("an alternate name that is also a spelling of " + ", ".join(
        sorted({f"'{c.namesake_of}' ({c.label()})" for c in larger})))


def name_not_yet_given(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """A name that in the record's year belonged to a different place. When one candidate got
    this name only after the record's date (Ukraine's Pokrovsk, so named in 2016) and another
    is documented to have borne it then or before (Engels, Pokrovsk until 1931), the later one
    is passed over. A namesake whose names are not dated is no such evidence, and a modern name
    used alone for a historical date (Samara in 1940) is never refused by this rule."""
    if ctx.year is None:
        return None
    status = [c.status(ctx.year) for c in cands]
    if "later" not in status or not any(s in ("then", "before") for s in status):
        return None
    kept = [c for c, s in zip(cands, status) if s != "later"]
    return kept, "the others got this name only after the record's date"


def focus_region(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """The atlas's region. A candidate inside the focus region (by default Europe and the
    former USSR, Central Asia included) wins over namesakes elsewhere: Odessa is the Ukrainian
    port, not Odessa, Texas; Toledo is in Spain, not Ohio. One exception: a village is not
    preferred to a city 25 times larger just for lying inside (Нью-Йорк is New York, not the
    Ukrainian village of that name); then this rule does not decide. Set the focus with
    ``--focus`` / ``"@focus"`` / ``Gazetteer.with_focus`` (``none`` turns this rule off)."""
    if ctx.focus is None or not ctx.focus.active:
        return None
    kept = [c for c in cands if ctx.focus.contains(c.country)]
    if not kept:
        return None
    outside = [c for c in cands if not ctx.focus.contains(c.country)]
    biggest_inside = max(c.population for c in kept)
    if (outside and all(c.population < VILLAGE_POPULATION and not c.curated for c in kept)
            and max(c.population for c in outside) >= DOMINANCE * max(biggest_inside, 1.0)):
        return None
    return kept, f"the focus region ({ctx.focus.label})"


def atlas_place_over_village(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """The atlas's own places. A place in the curated list (camps, places of deportation and
    settlement, renamed towns, each with its source) wins over namesakes that GeoNames lists
    only as villages or settlements under 15,000 people (Dolinka, Karlag's centre, over the
    Ukrainian villages called Dolinka)."""
    if not any(c.curated for c in cands):
        return None
    kept = [c for c in cands if c.curated or c.population >= VILLAGE_POPULATION]
    return (kept, "the atlas's curated list over villages of the same name") if kept else None


def town_name_over_village_alias(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """A town's own name over a village's alias. When the name is the main name of a town of
    15,000 people or more (or of a curated place), villages that carry it only as one of their
    alternate names are passed over (Frolovo near Stalingrad, not the village Froly in the Urals
    that GeoNames also calls Frolovo)."""
    own = [c for c in cands if c.curated or (c.match == "exact" and c.population >= VILLAGE_POPULATION)]
    if not own:
        return None
    kept = [c for c in cands if not (c.match == "alternate" and c.population < VILLAGE_POPULATION and not c.curated)]
    return (kept, "a town's own name over villages that have it only as an alternate name") if kept else None


def town_over_villages(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """One town among villages. When exactly one candidate is a town that bears the name as its own
    (15,000 people or more, its main name; or a curated place) and every other is a village, the town
    is kept: Tivoli near Rome, not the Tivoli quarter of Eindhoven. A town that has the name only as an
    alternate name does not count (Spassk is not Spassk-Dalny). (Before GeoNames' villages were indexed, the gazetteer knew only
    the towns; a village of the same name is reached by naming its region, "Tivoli, Noord-Brabant".)"""
    towns = [c for c in cands if c.curated or (c.match == "exact" and c.population >= VILLAGE_POPULATION)]
    villages = [c for c in cands if not c.curated and c.population < VILLAGE_POPULATION]
    if len(towns) != 1 or len(villages) != len(cands) - 1:
        return None
    return towns, "the one town among villages of the same name"


def own_name_over_reading(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """A place's own name over a reading. A candidate met only through the Latin reading of a name in
    another script (a transliterated Cyrillic name, the YIVO reading of a Hebrew-script name) is passed
    over when another candidate, at least as large, bears the name itself: Baku is Baku, not Bacău,
    whose Moldovan Cyrillic name Бакъу reads 'baku'. It is kept against smaller namesakes (Vilne is
    Vilnius, by its Yiddish name ווילנע, before the Ukrainian villages called Vilne)."""
    own = [c for c in cands if not c.reading]
    if not own or len(own) == len(cands):
        return None
    biggest_own = max(c.population for c in own)
    kept = [c for c in cands if not c.reading or c.population > biggest_own]
    return (kept, "a place's own name over a name read from another script") if kept else None


def name_in_use_on_the_date(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """The name of the date. When the curated list shows that a candidate bore this name on the
    record's date (Yekaterinburg was Sverdlovsk 1924-1991) and the other candidates are smaller
    namesakes whose names are not dated (a Ukrainian town later called Sverdlovsk), the dated
    one is kept. A larger undated namesake is never passed over this way. A name dated only by the
    table of renamed towns (whose rows are read place by place, not checked against namesakes) passes
    over undated villages only, never an undated town of 15,000 people or more: a town that GeoNames
    lists under that name may have borne it on the date too (Vladikavkaz was Ordzhonikidze 1931-1944;
    so, for some years, was Yenakiieve)."""
    if ctx.year is None:
        return None
    then = [c for c in cands if c.status(ctx.year) == "then"]
    rest = [c for c in cands if c.status(ctx.year) != "then"]
    if not then or not rest or max(c.population for c in rest) > max(c.population for c in then):
        return None
    if not all(c.curated for c in then) and any(
            c.status(ctx.year) == "undated" and c.population >= VILLAGE_POPULATION for c in rest):
        return None  # dated only by the table of renamed towns, which is not checked against namesakes
    return then, "a dated name (curated list or table of renamed towns) was in use on the record's date"


def bears_the_name_today(c: Candidate) -> bool:
    """Whether a candidate has this name today: GeoNames' main name, a curated or user name that is not
    dated, or a dated one whose last period is open-ended (``Kaliningrad@1946..``)."""
    if c.uses:
        return any(math.isnan(b) for _, b in c.uses)
    return c.match in ("exact", "curated", "user") and not c.reading


def own_name_over_alias(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """Today's bearer of the name. When exactly one candidate has the name today (as GeoNames' main
    name, or a curated name still in use) and every other has it only as an alternate or a former name,
    the one that has it today is kept, provided it is at least as populous as each of the others and
    none of them is documented to have borne the name on the record's date. Samarkand is the city in
    Uzbekistan, not Temirtau (whose village was once Samarkandsky); Kaliningrad written for 1930 is
    today's Kaliningrad (Königsberg then), not Korolyov, which bore the name only from 1938 to 1996.
    Not applied when two candidates have the name today (two Wendens in Germany besides Cēsis stay
    ambiguous) or when a smaller place has it today and a larger one as an exonym (Kronstadt: Brașov)."""
    today = [c for c in cands if bears_the_name_today(c)]
    if len(today) != 1 or len(today) == len(cands):
        return None
    keep = today[0]
    others = [c for c in cands if c is not keep]
    if any(c.population > keep.population for c in others):
        return None
    if ctx.year is not None and any(c.status(ctx.year) == "then" for c in others):
        return None
    return [keep], "the one place that has this name today, over places that have it only as another or former name"


def alias_against_own_name(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """A weak alternate name against a place's own name. When one candidate bears the name as its own
    (GeoNames' main name, a curated or user name) and another, at least as large, has it only as an
    undated alternate name that is either very short (3 letters or fewer: ``Erl``, one of Erenhot's
    alternate names, against the Austrian village Erl) or the name of a place outside the focus region
    against a place inside it, population is no evidence between them: the rules stop and the name is
    reported ambiguous with both. A dated alternate name (a documented former name) is not weak."""
    own = [c for c in cands if c.match in ("exact", "curated", "user") and not c.reading]
    if not own:
        return None
    letters = len(ctx.name.replace(" ", "")) if ctx.name else 99
    focus = ctx.focus if ctx.focus is not None and ctx.focus.active else None

    def weak(c: Candidate) -> bool:
        if c.match != "alternate" or c.curated or c.uses:
            return False
        abroad = focus is not None and not focus.contains(c.country) and any(focus.contains(o.country) for o in own)
        return abroad or letters <= SHORT_ALIAS_LETTERS

    weak_ones = [c for c in cands if weak(c) and c.population >= max(o.population for o in own)]
    if not weak_ones:
        return None
    return [], ("only an alternate name of " + ", ".join(c.label() for c in weak_ones)
                + (" (a name of 3 letters or fewer)" if letters <= SHORT_ALIAS_LETTERS else " outside the focus region")
                + ", against the own name of " + ", ".join(c.label() for c in own))


def much_larger_place(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """A much larger place. A candidate with 25 times more people than every other is chosen
    (Lemberg is Lviv, not the villages called Lemberg in Germany and France; Москва is Moscow,
    not the Tajik village Moskva). Never against a curated place without a population figure
    (a camp, a curated village): then nothing is chosen. A GeoNames place without a figure
    counts as small."""
    if any(c.curated and c.population <= 0 for c in cands):
        return None
    pops = sorted((max(c.population, 1.0) for c in cands), reverse=True)
    if len(pops) < 2 or pops[0] < DOMINANCE * pops[1]:
        return None
    best = max(cands, key=lambda c: c.population)
    return [best], f"population ({int(pops[0]):,} against at most {int(pops[1]):,})"


def state_of_the_other_end(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """The other end of the route. When the record's other place is resolved, the candidate in
    the same state on the date is kept (Brest with the other end in the USSR in 1940 is Brest
    on the Bug, not Brest in Brittany). Tried last: migrants crossed borders, so a shared state
    is weak evidence."""
    if not ctx.other_polity or ctx.polity_of is None:
        return None
    kept = [c for c in cands if ctx.polity_of(c) == ctx.other_polity]
    return (kept, f"the state of the other end of the route ({ctx.other_polity})") if kept else None


def republic_of_the_other_end(cands: list[Candidate], ctx: Context) -> tuple[list[Candidate], str] | None:
    """The other end's Soviet republic. When candidates in the same state remain (all in the USSR), the
    one in the union republic that holds the other end of the route on the date is kept (Petropavlovsk
    with the other end at Kokchetav in 1941 is Petropavlovsk in the Kazakh SSR, not on Kamchatka). Tried
    after the state of the other end, and as weakly: deportees crossed republics too, so this decides
    only what nothing stronger has."""
    if not ctx.other_republic or ctx.republic_of is None:
        return None
    kept = [c for c in cands if ctx.republic_of(c) == ctx.other_republic]
    return (kept, f"the Soviet republic of the other end of the route ({ctx.other_republic})") if kept else None


#: The rules, in the order they are tried.
RULES: tuple[Rule, ...] = (user_decision, region_named_in_text, close_spellings, exonym_of_a_larger_namesake,
                           name_not_yet_given, focus_region,
                           atlas_place_over_village, town_name_over_village_alias, town_over_villages,
                           own_name_over_reading,
                           name_in_use_on_the_date, own_name_over_alias, alias_against_own_name,
                           much_larger_place, state_of_the_other_end, republic_of_the_other_end,
                           much_larger_place)
# much_larger_place runs twice: before the other end (Berlin, Germany, not a Russian village called Berlin,
# whatever the other end), and again among the candidates the other end left (Brest on the Bug, not a
# Ukrainian village once called Brest).


@dataclass
class Decision:
    """The outcome of the rules for one name in one context."""

    chosen: Candidate | None
    remaining: list[Candidate]
    rule: str = ""  # the rule that left one candidate
    reasons: list[str] = field(default_factory=list)  # every rule that narrowed, with its reason
    passed_over: list[tuple[Candidate, str]] = field(default_factory=list)  # (candidate, rule that dropped it)
    vetoed: bool = False  # a rule found that no candidate fits the record


def decide(cands: Sequence[Candidate], ctx: Context, rules: Sequence[Rule] = RULES) -> Decision:
    """Apply the rules in order to the candidates of one name."""
    left = list(cands)
    out = Decision(None, left)
    for rule in rules:
        if len(left) <= 1 and rule is not region_named_in_text:  # one candidate: only the text can object
            continue
        r = rule(left, ctx)
        if r is None:
            continue
        kept, reason = r
        if not kept:  # the record contradicts every candidate: stop, choose nothing
            out.reasons.append(f"{rule.__name__}: {reason}")
            out.vetoed = True
            break
        if len(kept) == len(left):
            continue
        ids = {id(c) for c in kept}
        out.passed_over += [(c, rule.__name__) for c in left if id(c) not in ids]
        out.reasons.append(f"{rule.__name__}: {reason}")
        left = kept
        if len(left) == 1:
            out.rule = rule.__name__
    out.remaining = left
    out.chosen = left[0] if len(left) == 1 and not out.vetoed else None
    return out


def rank(cands: Sequence[Candidate], ctx: Context, rules: Sequence[Rule] = RULES) -> list[tuple[Candidate, str]]:
    """Candidates ranked by the same rules, for a person to choose from: the ones the rules keep
    first, then those passed over by the last rule, and so on; ties by population. Each comes
    with the rule that passed it over ('' for those kept)."""
    d = decide(cands, ctx, rules)
    order = [(c, "") for c in sorted(d.remaining, key=lambda c: -c.population)]
    for c, rule in reversed(d.passed_over):
        order.append((c, rule))
    return order
