"""Who held a place on a date: the checks of the border issue and many more."""

from __future__ import annotations

import pytest

# (place, lon, lat, date, expected {column: value}); empty string = nothing holds it.
CASES = [
    # the checks named in the issue
    ("Vienna", 16.37, 48.21, "1937-06-01", {"polity": "Austria"}),
    ("Vienna", 16.37, 48.21, "1939-06-01", {"polity": "Germany"}),
    ("Lwow", 24.03, 49.84, "1930-06-01", {"polity": "Poland", "republic": ""}),
    ("Lwow", 24.03, 49.84, "1940-06-01", {"polity": "USSR", "republic": "Ukrainian SSR"}),
    ("Vilnius", 25.28, 54.69, "1930-06-01", {"polity": "Poland"}),
    ("Alma-Ata", 76.95, 43.25, "1930-06-01", {"polity": "USSR", "republic": "Russian SFSR", "autonomy": "Kazakh ASSR"}),
    ("Alma-Ata", 76.95, 43.25, "1941-06-01",
     {"polity": "USSR", "republic": "Kazakh SSR", "autonomy": "", "kz_region": "Alma-Ata Oblast"}),
    ("Karaganda", 73.10, 49.80, "1941-06-01", {"kz_region": "Karaganda Oblast"}),
    ("Pavlodar", 76.97, 52.29, "1941-06-01", {"kz_region": "Pavlodar Oblast"}),
    ("Semipalatinsk", 80.23, 50.41, "1941-06-01", {"kz_region": "Semipalatinsk Oblast"}),
    # Kazakh reorganisations of 1932, 1936, 1938, 1939 and 1944
    ("Petropavlovsk", 69.15, 54.87, "1934-01-01", {"kz_region": "Karaganda Oblast"}),
    ("Petropavlovsk", 69.15, 54.87, "1937-01-01", {"kz_region": "North Kazakhstan Oblast"}),
    ("Kustanai", 63.62, 53.21, "1935-01-01", {"kz_region": "Aktyubinsk Oblast"}),
    ("Kustanai", 63.62, 53.21, "1937-01-01", {"kz_region": "Kustanai Oblast"}),
    ("Pavlodar", 76.97, 52.29, "1937-06-01", {"kz_region": "East Kazakhstan Oblast"}),
    ("Guryev", 51.92, 47.11, "1937-06-01", {"kz_region": "West Kazakhstan Oblast"}),
    ("Guryev", 51.92, 47.11, "1938-06-01", {"kz_region": "Guryev Oblast"}),
    ("Kzyl-Orda", 65.51, 44.85, "1937-06-01", {"kz_region": "South Kazakhstan Oblast"}),
    ("Kzyl-Orda", 65.51, 44.85, "1938-06-01", {"kz_region": "Kzyl-Orda Oblast"}),
    ("Akmolinsk", 71.45, 51.17, "1938-06-01", {"kz_region": "Karaganda Oblast"}),
    ("Akmolinsk", 71.45, 51.17, "1940-06-01", {"kz_region": "Akmolinsk Oblast"}),
    ("Semipalatinsk", 80.23, 50.41, "1938-06-01", {"kz_region": "East Kazakhstan Oblast"}),
    ("Dzhambul", 71.37, 42.90, "1939-01-01", {"kz_region": "South Kazakhstan Oblast"}),
    ("Dzhambul", 71.37, 42.90, "1940-01-01", {"kz_region": "Dzhambul Oblast"}),
    ("Taldy-Kurgan", 78.37, 45.02, "1943-06-01", {"kz_region": "Alma-Ata Oblast"}),
    ("Taldy-Kurgan", 78.37, 45.02, "1945-06-01", {"kz_region": "Taldy-Kurgan Oblast"}),
    ("Kokchetav", 69.39, 53.28, "1945-06-01", {"kz_region": "Kokchetav Oblast"}),
    ("Dolinka (Karlag)", 72.67, 49.67, "1941-06-01", {"kz_region": "Karaganda Oblast"}),
    ("Alma-Ata", 76.95, 43.25, "1931-06-01", {"kz_region": "Kazakh ASSR (no oblasts)"}),
    ("Orenburg", 55.10, 51.77, "1922-01-01", {"polity": "Soviet Russia (RSFSR)", "autonomy": "Kirghiz ASSR"}),
    ("Orenburg", 55.10, 51.77, "1930-01-01", {"republic": "Russian SFSR", "autonomy": "", "kz_region": ""}),
    ("Kazan", 49.11, 55.79, "1930-01-01", {"autonomy": "", "kz_region": ""}),
    # Central Asia and the Caucasus
    ("Bukhara", 64.42, 39.77, "1922-01-01", {"polity": "Bukharan People's Soviet Republic"}),
    ("Bukhara", 64.42, 39.77, "1930-01-01", {"republic": "Uzbek SSR"}),
    ("Dushanbe", 68.78, 38.56, "1927-01-01", {"republic": "Uzbek SSR"}),
    ("Dushanbe", 68.78, 38.56, "1930-01-01", {"republic": "Tajik SSR"}),
    ("Frunze", 74.60, 42.87, "1930-01-01", {"republic": "Russian SFSR"}),
    ("Frunze", 74.60, 42.87, "1937-06-01", {"republic": "Kirghiz SSR"}),
    ("Tbilisi", 44.79, 41.72, "1919-06-01", {"polity": "Democratic Republic of Georgia", "republic": ""}),
    ("Tbilisi", 44.79, 41.72, "1925-06-01", {"polity": "USSR", "republic": "Transcaucasian SFSR"}),
    ("Tbilisi", 44.79, 41.72, "1937-06-01", {"republic": "Georgian SSR"}),
    ("Kars", 43.10, 40.60, "1919-06-01", {"polity": "Republic of Armenia"}),
    ("Kars", 43.10, 40.60, "1925-06-01", {"polity": "Turkey"}),
    # the western border of the USSR
    ("Chisinau", 28.86, 47.01, "1939-06-01", {"polity": "Romania"}),
    ("Chisinau", 28.86, 47.01, "1941-03-01", {"polity": "USSR", "republic": "Moldavian SSR"}),
    ("Chisinau", 28.86, 47.01, "1942-03-01", {"polity": "USSR", "occupier": "Romania"}),
    ("Tiraspol", 29.63, 46.84, "1930-01-01", {"republic": "Ukrainian SSR"}),
    ("Chernivtsi", 25.94, 48.29, "1939-06-01", {"polity": "Romania"}),
    ("Chernivtsi", 25.94, 48.29, "1941-01-01", {"republic": "Ukrainian SSR"}),
    ("Izmail", 28.84, 45.35, "1941-01-01", {"republic": "Ukrainian SSR"}),
    ("Vyborg", 28.75, 60.71, "1939-06-01", {"polity": "Finland"}),
    ("Vyborg", 28.75, 60.71, "1941-01-01", {"polity": "USSR", "republic": "Karelo-Finnish SSR"}),
    ("Vyborg", 28.75, 60.71, "1945-01-01", {"polity": "USSR", "republic": "Russian SFSR"}),  # Leningrad Oblast, Nov 1944
    ("Sortavala", 30.69, 61.70, "1945-01-01", {"polity": "USSR", "republic": "Karelo-Finnish SSR"}),
    ("Petsamo", 31.10, 69.40, "1930-01-01", {"polity": "Finland"}),
    ("Petsamo", 31.10, 69.40, "1946-01-01", {"republic": "Russian SFSR"}),
    ("Tallinn", 24.75, 59.44, "1939-06-01", {"polity": "Estonia"}),
    ("Tallinn", 24.75, 59.44, "1941-01-01", {"republic": "Estonian SSR"}),
    ("Tallinn", 24.75, 59.44, "1942-06-01", {"occupation": "Reichskommissariat Ostland"}),
    ("Pechory", 27.61, 57.81, "1930-01-01", {"polity": "Estonia"}),
    ("Pechory", 27.61, 57.81, "1946-01-01", {"republic": "Russian SFSR"}),
    ("Riga", 24.11, 56.95, "1930-01-01", {"polity": "Latvia"}),
    ("Vilnius", 25.28, 54.69, "1940-06-01", {"polity": "Lithuania"}),
    ("Vilnius", 25.28, 54.69, "1941-01-01", {"republic": "Lithuanian SSR"}),
    ("Vilnius", 25.28, 54.69, "1921-06-01", {"polity": "Republic of Central Lithuania"}),
    ("Klaipeda", 21.14, 55.71, "1930-01-01", {"polity": "Lithuania"}),
    ("Klaipeda", 21.14, 55.71, "1940-01-01", {"polity": "Germany"}),
    ("Klaipeda", 21.14, 55.71, "1921-01-01", {"polity": "Memel Territory"}),
    ("Bialystok", 23.16, 53.13, "1940-06-01", {"polity": "USSR", "republic": "Byelorussian SSR"}),
    ("Bialystok", 23.16, 53.13, "1942-06-01", {"occupation": "Bezirk Bialystok"}),
    ("Bialystok", 23.16, 53.13, "1946-06-01", {"polity": "Poland"}),
    ("Brest", 23.69, 52.10, "1930-01-01", {"polity": "Poland"}),
    ("Brest", 23.69, 52.10, "1946-01-01", {"republic": "Byelorussian SSR"}),
    ("Minsk", 27.56, 53.90, "1930-01-01", {"polity": "USSR", "republic": "Byelorussian SSR"}),
    ("Gomel", 30.98, 52.44, "1925-06-01", {"republic": "Russian SFSR"}),
    ("Gomel", 30.98, 52.44, "1927-06-01", {"republic": "Byelorussian SSR"}),
    ("Vitebsk", 30.20, 55.19, "1923-06-01", {"republic": "Russian SFSR"}),
    ("Vitebsk", 30.20, 55.19, "1925-06-01", {"republic": "Byelorussian SSR"}),
    ("Kiev", 30.52, 50.45, "1942-06-01", {"polity": "USSR", "occupation": "Reichskommissariat Ukraine"}),
    ("Odessa", 30.73, 46.48, "1942-06-01", {"occupation": "Transnistria Governorate", "occupier": "Romania"}),
    ("Lwow", 24.03, 49.84, "1942-06-01", {"occupation": "General Government"}),
    ("Petrozavodsk", 34.35, 61.79, "1942-06-01", {"occupier": "Finland"}),
    ("Konigsberg", 20.51, 54.71, "1930-01-01", {"polity": "Germany"}),
    ("Konigsberg", 20.51, 54.71, "1946-01-01", {"polity": "USSR", "republic": "Russian SFSR"}),
    # central Europe
    ("Danzig", 18.65, 54.35, "1930-01-01", {"polity": "Free City of Danzig"}),
    ("Danzig", 18.65, 54.35, "1940-01-01", {"polity": "Germany"}),
    ("Gdynia", 18.53, 54.52, "1930-01-01", {"polity": "Poland"}),
    ("Poznan", 16.93, 52.41, "1919-06-01", {"polity": "Germany"}),
    ("Poznan", 16.93, 52.41, "1925-01-01", {"polity": "Poland"}),
    ("Poznan", 16.93, 52.41, "1941-01-01", {"polity": "Germany"}),
    ("Warsaw", 21.01, 52.23, "1941-01-01", {"polity": "Poland", "occupation": "General Government"}),
    ("Katowice", 19.02, 50.26, "1921-06-01", {"polity": "Germany"}),
    ("Katowice", 19.02, 50.26, "1923-06-01", {"polity": "Poland"}),
    ("Wroclaw", 17.04, 51.11, "1930-01-01", {"polity": "Germany"}),
    ("Wroclaw", 17.04, 51.11, "1946-01-01", {"polity": "Poland"}),
    ("Prague", 14.42, 50.09, "1937-01-01", {"polity": "Czechoslovakia"}),
    ("Prague", 14.42, 50.09, "1940-01-01", {"polity": "Protectorate of Bohemia and Moravia"}),
    ("Karlovy Vary", 12.87, 50.23, "1939-01-01", {"polity": "Germany"}),
    ("Bratislava", 17.11, 48.15, "1940-01-01", {"polity": "Slovak State"}),
    ("Kosice", 21.26, 48.72, "1939-01-01", {"polity": "Hungary"}),
    ("Uzhhorod", 22.29, 48.62, "1930-01-01", {"polity": "Czechoslovakia"}),
    ("Uzhhorod", 22.29, 48.62, "1946-01-01", {"republic": "Ukrainian SSR"}),
    ("Cluj", 23.59, 46.77, "1942-01-01", {"polity": "Hungary"}),
    ("Cluj", 23.59, 46.77, "1946-01-01", {"polity": "Romania"}),
    ("Dobrich", 27.83, 43.57, "1930-01-01", {"polity": "Romania"}),
    ("Dobrich", 27.83, 43.57, "1941-01-01", {"polity": "Bulgaria"}),
    ("Novi Sad", 19.84, 45.25, "1942-01-01", {"polity": "Yugoslavia", "occupier": "Hungary"}),
    ("Trieste", 13.78, 45.65, "1930-01-01", {"polity": "Italy"}),
    ("Trieste", 13.78, 45.65, "1948-01-01", {"polity": "Free Territory of Trieste"}),
    ("Pula", 13.85, 44.87, "1930-01-01", {"polity": "Italy"}),
    ("Pula", 13.85, 44.87, "1948-01-01", {"polity": "Yugoslavia"}),
    ("Saarbrucken", 7.0, 49.23, "1930-01-01", {"polity": "Territory of the Saar Basin (League of Nations)"}),
    ("Saarbrucken", 7.0, 49.23, "1937-01-01", {"polity": "Germany"}),
    ("Berlin", 13.40, 52.52, "1948-01-01", {"polity": "Berlin (four-power occupation)"}),
    ("Leipzig", 12.37, 51.34, "1950-01-01", {"polity": "German Democratic Republic"}),
    ("Munich", 11.58, 48.14, "1950-01-01", {"polity": "Federal Republic of Germany"}),
    ("Dublin", -6.26, 53.35, "1920-01-01", {"polity": "United Kingdom"}),
    ("Dublin", -6.26, 53.35, "1930-01-01", {"polity": "Ireland"}),
    ("Istanbul", 28.98, 41.01, "1920-01-01", {"polity": "Ottoman Empire"}),
    ("Istanbul", 28.98, 41.01, "1930-01-01", {"polity": "Turkey"}),
    # the far east of the USSR
    ("Kyzyl", 94.45, 51.72, "1930-01-01", {"polity": "Tuvan People's Republic"}),
    ("Kyzyl", 94.45, 51.72, "1950-01-01", {"republic": "Russian SFSR"}),
    ("Yuzhno-Sakhalinsk", 142.74, 46.96, "1930-01-01", {"polity": "Japan (Karafuto and the Kuril Islands)"}),
    ("Yuzhno-Sakhalinsk", 142.74, 46.96, "1950-01-01", {"polity": "USSR"}),
    ("Chita", 113.50, 52.03, "1921-06-01", {"polity": "Far Eastern Republic"}),
    # origins beyond Europe (coarse, today's outlines); New York lies offshore after simplification
    ("New York", -74.00, 40.71, "1931-06-01", {"polity": "United States of America", "snapped": True}),
    ("Toronto", -79.38, 43.65, "1931-06-01", {"polity": "Canada"}),
    ("Buenos Aires", -58.38, -34.60, "1931-06-01", {"polity": "Argentina"}),
]


@pytest.fixture(scope="module")
def located(borders):
    return borders.locate([c[1] for c in CASES], [c[2] for c in CASES], [c[3] for c in CASES])


@pytest.mark.parametrize("i", range(len(CASES)), ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_who_held_the_place(located, i):
    place, _, _, day, expected = CASES[i]
    row = located.iloc[i]
    for column, value in expected.items():
        assert row[column] == value, f"{place} on {day}: {column} is {row[column]!r}, expected {value!r}"


def test_unknown_dates_and_points_hold_nothing(borders):
    got = borders.locate([16.37, float("nan"), 16.37, 16.37], [48.21, 48.21, 48.21, 48.21],
                         ["1900-01-01", "1930-01-01", None, "1960-01-01"])
    assert (got["polity"] == "").all()


def test_on_returns_one_polity_per_place_and_date(borders):
    df = borders.on("1939-09-15", "polities")
    assert df["unit"].is_unique
    assert {"Poland", "Germany", "USSR", "Lithuania", "Slovak State"} <= set(df["name"])


def test_locate_is_vectorised_over_many_dates(borders):
    import numpy as np

    days = np.arange(np.datetime64("1918-11-11"), np.datetime64("1951-01-01"), 30)
    got = borders.locate(np.full(len(days), 23.16), np.full(len(days), 53.13), days)
    seq = [p for i, p in enumerate(got["polity"]) if i == 0 or p != got["polity"].iloc[i - 1]]
    assert seq == ["Poland", "USSR", "Poland"]  # Bialystok: Polish, Soviet from November 1939, Polish from August 1945
