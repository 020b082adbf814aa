"""The logic of geo.flows on small synthetic records (no bundled figure: correcting a source never breaks these)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.flows import Filters, aggregate, destination_region, filter_records, flows_by_year, oblast_arrivals

PLACES = {  # place: (lat, lon, polity, republic, autonomy, kz_region)
    "Kiev": (50.45, 30.52, "USSR", "Ukrainian SSR", "", ""),
    "Zhitomir": (50.25, 28.66, "USSR", "Ukrainian SSR", "", ""),
    "Lwow": (49.84, 24.03, "Poland → USSR", " → Ukrainian SSR", "", ""),
    "Karaganda": (49.80, 73.10, "USSR", "Russian SFSR", "Kazakh ASSR", "Karaganda Oblast"),
    "Pavlodar": (52.29, 76.97, "USSR", "Kazakh SSR", "", "Pavlodar Oblast"),
    "Kazakhstan": (43.25, 76.95, "USSR", "Kazakh SSR", "", ""),  # a republic named without a town
    "Spans": (50.41, 80.23, "USSR", "Kazakh SSR", "", "East Kazakhstan Oblast → Semipalatinsk Oblast"),
}


def _rec(rid, origin, destination, count=None, low=None, high=None, first="1936-06-01", last=None, category="deportation",
         nationality="Polish", dataset=None) -> dict:
    row = {"id": rid, "date_from": first, "date_to": last or first, "category": category, "nationality": nationality,
           "count": count, "count_low": low, "count_high": high}
    for end, name in (("origin", origin), ("destination", destination)):
        lat, lon, pol, rep, aut, kz = PLACES.get(name, (float("nan"), float("nan"), "", "", "", ""))
        row.update({f"{end}_place": name, f"{end}_lat": lat, f"{end}_lon": lon, f"{end}_polity": pol,
                    f"{end}_republic": rep, f"{end}_autonomy": aut, f"{end}_kz_region": kz})
    if dataset:
        row["dataset"] = dataset
    return row


def _frame(*rows: dict) -> pd.DataFrame:
    df = pd.DataFrame(list(rows))
    for c in ("count", "count_low", "count_high"):
        df[c] = df[c].astype("Float64")
    return df


def test_records_on_one_route_are_one_flow_with_summed_counts_and_bounds():
    rec = _frame(_rec("a", "Kiev", "Karaganda", 100, 90, 120), _rec("b", "Kiev", "Karaganda", 50),
                 _rec("c", "Kiev", "Karaganda"), _rec("d", "Zhitomir", "Karaganda", 7))
    flows = aggregate(rec, "place").set_index(["origin", "destination"])
    assert len(flows) == 2
    kk = flows.loc[("Kiev", "Karaganda")]
    assert kk["people"] == 150 and kk["records"] == 3 and kk["unknown"] == 1  # the record with no count is not a zero
    assert (kk["low"], kk["high"]) == (140, 170)  # a record's best stands in for its missing bounds
    assert sorted(kk["ids"]) == ["a", "b", "c"]
    assert aggregate(rec, "place")["people"].sum() == 157  # every known count once, none twice


def test_records_with_no_count_are_counted_apart_never_as_numbers():
    flows = aggregate(_frame(_rec("a", "Kiev", "Karaganda"), _rec("b", "Zhitomir", "Karaganda")), "oblast")
    assert flows["people"].sum() == 0 and flows["unknown"].sum() == 2 and flows["records"].sum() == 2


def test_polity_grouping_takes_the_autonomy_then_the_republic_of_the_date_at_the_mean_point():
    rec = _frame(_rec("a", "Kiev", "Karaganda", 10), _rec("b", "Zhitomir", "Karaganda", 5),
                 _rec("c", "Kiev", "Pavlodar", 3, first="1937-06-01"))
    flows = aggregate(rec, "polity").set_index(["origin", "destination"])
    assert flows.loc[("Ukrainian SSR", "Kazakh ASSR"), "people"] == 15  # the ASSR of 1936, inside the RSFSR
    assert flows.loc[("Ukrainian SSR", "Kazakh SSR"), "people"] == 3
    assert flows.loc[("Ukrainian SSR", "Kazakh ASSR"), "origin_lon"] == pytest.approx((30.52 + 28.66 + 30.52) / 3)


def test_a_span_across_a_border_change_is_grouped_by_its_first_unit():
    rec = _frame(_rec("a", "Lwow", "Pavlodar", 4, first="1939-01-01", last="1940-12-31"))
    assert aggregate(rec, "polity")["origin"].tolist() == ["Poland"]


def test_oblast_grouping_names_the_oblast_else_the_republic_never_the_capitals_oblast():
    rec = _frame(_rec("a", "Kiev", "Pavlodar", 1), _rec("b", "Kiev", "Kazakhstan", 2))
    assert destination_region(rec).tolist() == ["Pavlodar Oblast", "Kazakh SSR"]
    assert set(aggregate(rec, "oblast")["destination"]) == {"Pavlodar Oblast", "Kazakh SSR"}


def test_an_end_with_no_place_and_a_route_to_itself_are_not_drawn():
    rec = _frame(_rec("a", "Kiev", "Nowhere", 5), _rec("b", "Kiev", "Kiev", 5), _rec("c", "Kiev", "Pavlodar", 5))
    assert aggregate(rec, "place")["ids"].tolist() == [["c"]]


def test_a_users_records_never_share_an_arrow_with_the_bundled_ones():
    rec = _frame(_rec("a", "Kiev", "Pavlodar", 5), _rec("b", "Kiev", "Pavlodar", 6, dataset="yours"))
    rec.loc[0, "dataset"] = "bundled"
    flows = aggregate(rec, "place").set_index("dataset")
    assert flows.loc["bundled", "people"] == 5 and flows.loc["yours", "people"] == 6


def test_filters_select_by_overlap_of_years_and_by_values():
    rec = _frame(_rec("span", "Kiev", "Pavlodar", 1, first="1925-03-01", last="1932-12-31", nationality="Czech"),
                 _rec("k", "Lwow", "Karaganda", 1, first="1936-01-01", category="resettlement", nationality="Korean"),
                 _rec("p", "Kiev", "Pavlodar", 1, first="1940-04-13"))
    ids = lambda f: filter_records(rec, f)["id"].tolist()  # noqa: E731
    assert ids(Filters(1930, 1930)) == ["span"] and ids(Filters(1933, 1935)) == []
    assert ids(Filters(1918, 1960, nationalities=("Korean",))) == ["k"]
    assert ids(Filters(1918, 1960, categories=("deportation",))) == ["span", "p"]
    assert ids(Filters(1918, 1960, origin_polities=("Poland",))) == ["k"]  # "Poland → USSR" starts in Poland
    assert ids(Filters(1918, 1960, destination_regions=("Pavlodar Oblast",))) == ["span", "p"]


def test_flows_by_year_show_a_record_in_every_year_it_covers():
    rec = _frame(_rec("span", "Kiev", "Pavlodar", 10, first="1925-03-01", last="1927-02-01"), _rec("one", "Kiev", "Pavlodar", 1))
    by = flows_by_year(rec, range(1924, 1938), "place")
    assert [y for y, f in by.items() if len(f)] == [1925, 1926, 1927, 1936]
    assert by[1926]["people"].sum() == 10 and by[1936]["people"].sum() == 1


def test_oblast_arrivals_count_only_records_placed_in_one_oblast():
    rec = _frame(_rec("a", "Kiev", "Pavlodar", 10), _rec("b", "Kiev", "Pavlodar"), _rec("c", "Kiev", "Kazakhstan", 99),
                 _rec("d", "Kiev", "Spans", 50), _rec("e", "Kiev", "Karaganda", 4))
    t = oblast_arrivals(rec).set_index("oblast")[["people", "records", "unknown"]]
    assert t.to_dict("index") == {"Pavlodar Oblast": {"people": 10.0, "records": 2, "unknown": 1},
                                  "Karaganda Oblast": {"people": 4.0, "records": 1, "unknown": 0}}


def _details():
    """A republic-level parent and two oblast rows that give, by another source, where some of its people went."""
    return _frame({**_rec("parent", "Kiev", "Kazakhstan", 1000), "detail_of": ""},
                  {**_rec("d1", "Kiev", "Pavlodar", 300), "detail_of": "parent"},
                  {**_rec("d2", "Kiev", "Karaganda", None, 150, 250), "detail_of": "parent"},
                  {**_rec("other", "Zhitomir", "Pavlodar", 5, category="evacuation"), "detail_of": ""})  # never on the same arrow


@pytest.mark.parametrize("group", ["place", "polity", "oblast"])
def test_a_parent_and_its_two_details_are_one_arrow_with_the_parents_count(group):
    flows = aggregate(_details(), group)
    assert sorted(i for ids in flows["ids"] for i in ids) == ["other", "parent"]  # the details are on no arrow
    parent = flows[flows["ids"].map(lambda ids: ids == ["parent"])].iloc[0]
    assert (parent["people"], parent["low"], parent["high"], parent["records"]) == (1000, 1000, 1000, 1)
    assert flows["people"].sum() == 1005  # 300 and 150-250 are the parent's people: not added


def test_oblast_arrivals_list_details_apart_and_never_add_them():
    t = oblast_arrivals(_details()).set_index("oblast")
    pav, kar = t.loc["Pavlodar Oblast"], t.loc["Karaganda Oblast"]
    assert (pav["people"], pav["records"], pav["detail_records"]) == (5.0, 1, 1)
    assert pav["details"].startswith("300 people")
    assert (kar["people"], kar["records"], kar["unknown"], kar["detail_records"]) == (0.0, 0, 0, 1)
    assert kar["details"].startswith("150–250 people")


def test_a_detail_whose_parent_is_filtered_out_is_still_not_drawn():
    # a detail never stands in for its parent: with the parent filtered away, its people are simply not on the map
    only = _details().iloc[1:]
    assert sorted(i for ids in aggregate(only, "place")["ids"] for i in ids) == ["other"]


def test_families_and_households_are_never_summed_as_people():
    rec = _frame({**_rec("fam", "Kiev", "Karaganda", 300), "unit": "families", "count_approximate": True},
                 {**_rec("hh", "Kiev", "Karaganda", None, None, 280), "unit": "households"},
                 {**_rec("fam2", "Zhitomir", "Karaganda", 40), "unit": "семей"},
                 {**_rec("p", "Zhitomir", "Karaganda", 12), "unit": "persons"})
    flows = aggregate(rec, "place").set_index("origin")
    kiev, zhit = flows.loc["Kiev"], flows.loc["Zhitomir"]
    # the Kiev arrow has no figure in persons: drawn as "count unknown" (dashed), its counts kept as written
    assert (kiev["people"], kiev["drawn"], kiev["low"], kiev["high"], kiev["unknown"]) == (0, 0, 0, 0, 2)
    assert kiev["other_units"] == "~300 families; ≤ 280 households" and not kiev["approximate"]
    assert kiev["other_unit_records"] == 2  # both do give a count, in their own unit: not "without a count"
    # beside a persons figure, the families add nothing to it
    assert (zhit["people"], zhit["drawn"], zhit["unknown"], zhit["other_units"]) == (12, 12, 1, "40 families")
    assert zhit["other_unit_records"] == 1
    t = oblast_arrivals(rec).set_index("oblast").loc["Karaganda Oblast"]
    assert (t["people"], t["records"], t["unknown"]) == (12.0, 4, 3)
    assert t["other_units"] == "~300 families; ≤ 280 households; 40 families"
