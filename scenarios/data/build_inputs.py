#!/usr/bin/env python3
"""Builds the Kyrgyz base-year tables (1 January 2023) from the sourced figures
in sources/. Run from this folder: `python3 build_inputs.py`. Standard library
only; the output is deterministic. Every number not read from sources/ is an
assumption, marked ASSUMPTION below and listed in SOURCES.md."""

import csv
import math

SRC = "sources/"
SEXES = ["female", "male"]
EDUS = ["low", "medium", "high"]


def rows(name):
    with open(SRC + name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def wdi(indicator, year):
    for r in rows("wdi_kgz_annual.csv"):
        if r["indicator"] == indicator and int(r["year"]) == year:
            return float(r["value"])
    raise KeyError((indicator, year))


# --- Regions -----------------------------------------------------------------
# Shares of the 2022 census (NSC via 24.kg). Batken and Issyk-Kul are only given
# combined (956,100); Batken is its NSC 2021 estimate (548,200) grown by its
# 2020-21 rate (+2.0%), Issyk-Kul the remainder.
census = {
    "bishkek": 1137882, "osh_city": 364052, "chui": 1011300, "osh": 1233300,
    "jalal_abad": 1066600, "talas": 224300, "naryn": 267800,
}
batken = round(548200 * 548200 / 537300)
census["batken"] = batken
census["issyk_kul"] = 956100 - batken
REGIONS = ["bishkek", "osh_city", "chui", "issyk_kul", "jalal_abad", "naryn", "osh", "talas", "batken"]
region_share = {r: census[r] / sum(census.values()) for r in REGIONS}

# ASSUMPTION: tertiary attainment differs by region (capital and Osh city
# higher); factor on the national high-education share, the difference taken
# from `medium`.
HIGH_FACTOR = {"bishkek": 1.8, "osh_city": 1.3}

# --- Residents: WPP 2020 pyramid aged to 2023 ---------------------------------
pop2020 = {s: [0.0] * 101 for s in SEXES}
for r in rows("wpp2024_kgz_population_by_age_sex.csv"):
    if r["year"] != "2020":
        continue
    lo = int(r["age_start"])
    hi = int(r["age_end"]) if r["age_end"] else 100
    for a in range(lo, hi + 1):
        pop2020[r["sex"]][a] += float(r["population"]) / (hi - lo + 1)
mx2020 = {s: {} for s in SEXES}
for r in rows("wpp2024_kgz_mortality_mx.csv"):
    if r["year"] == "2020":
        mx2020[r["sex"]][int(r["age_start"])] = float(r["mx"])


def mx_at(s, a):
    return mx2020[s][max(k for k in mx2020[s] if k <= a)]


# Three years of ageing with 2020 mortality; ages 0-2 in 2023 (born 2020-22)
# take the 2020 single-year average of ages 0-4, which the scaling below
# adjusts with everything else.
pop2023 = {s: [0.0] * 101 for s in SEXES}
for s in SEXES:
    for a in range(101):
        src = a - 3
        if src < 0:
            base = sum(pop2020[s][0:5]) / 5
            surv = math.exp(-mx_at(s, 0) * (a + 0.5))
        else:
            base = pop2020[s][src]
            surv = math.exp(-sum(mx_at(s, src + k) for k in range(3)))
        pop2023[s][a] += base * surv
    # The open interval keeps those who were 98+ in 2020.
    pop2023[s][100] += sum(pop2020[s][98:101]) * math.exp(-3 * mx_at(s, 98))
# Residents at 1 January 2023: mean of the WDI mid-year populations of 2022 and
# 2023 (WDI counts the permanent population).
target = 0.5 * (wdi("SP.POP.TOTL", 2022) + wdi("SP.POP.TOTL", 2023))
k = target / sum(sum(v) for v in pop2023.values())
for s in SEXES:
    pop2023[s] = [v * k for v in pop2023[s]]


# ASSUMPTION: education by age. The 1999 census gives 10.5% of people 15+ with
# higher education; university enrolment has expanded since, so younger
# cohorts hold more. Shares (low, medium, high) by age band:
def edu_by_age(a):
    if a < 18:
        return (1.0, 0.0, 0.0)
    if a < 22:
        return (0.20, 0.80, 0.0)
    if a < 25:
        return (0.15, 0.65, 0.20)
    if a < 35:
        return (0.10, 0.65, 0.25)
    if a < 45:
        return (0.10, 0.70, 0.20)
    if a < 55:
        return (0.12, 0.70, 0.18)
    if a < 65:
        return (0.15, 0.68, 0.17)
    return (0.30, 0.57, 0.13)


def write_home(path, pop):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["region", "sex", "education", "age", "persons"])
        for r in REGIONS:
            for s in SEXES:
                for a in range(101):
                    lo, me, hi = edu_by_age(a)
                    hi2 = hi * HIGH_FACTOR.get(r, 0.85 if hi > 0 else 1.0)
                    me2 = me - (hi2 - hi)
                    n = pop[s][a] * region_share[r]
                    for e, sh in zip(EDUS, (lo, me2, hi2)):
                        if sh > 0:
                            w.writerow([r, s, e, a, round(n * sh, 3)])


write_home("home_2023.csv", pop2023)

# --- Citizens abroad, 1 January 2023 ------------------------------------------
# Stocks by destination (persons). Russia: 450,000, between the Russian
# authorities' 408,448 (2023, via Kyrgyz MFA) and the MVD's 650,000 (2023).
# Kazakhstan 80,000: between 65,000 (Deputy Labour Minister, 2024-05) and
# 113,000 (SMS, 2015). Turkey 60,000 and South Korea 14,000 (Deputy Labour
# Minister, 2024-05). Rest of world 96,000: USA 36,000 (same source) plus an
# ASSUMED 60,000 elsewhere. Total 700,000, inside the range 540,000 (UN DESA,
# mid-2024) to 750,000 (expert range, ~2017); Russia's share 0.64, between
# UN DESA's 0.57 and 0.70 in the minister's 2024 figures.
STOCK = {"russia": 450000, "kazakhstan": 80000, "south_korea": 14000, "turkey": 60000, "rest_of_world": 96000}
# ASSUMPTION: share settled (long-term residents) by destination; Korea's EPS
# permits are temporary by design.
SETTLED = {"russia": 0.25, "kazakhstan": 0.20, "south_korea": 0.02, "turkey": 0.30, "rest_of_world": 0.50}
# Age and sex (SMS expert estimate, ~2017): under 18 17%; 18-29 47% of whom
# 17% female; 30-49 31% of whom 39% female; 50+ the residual 5% (ASSUMED 45%
# female, and to age 64). ASSUMED 48% female among children.
# Bands split 18-29 into 18-21 and 22-29 in proportion to their years.
BANDS = [("0-17", 0.17, 0.48), ("18-21", 0.47 * 4 / 12, 0.17), ("22-29", 0.47 * 8 / 12, 0.17),
         ("30-49", 0.31, 0.39), ("50-64", 0.05, 0.45)]
# ASSUMPTION: education of adult migrants (no survey figure in sources/).
EDU_ABROAD = {"18-21": (0.30, 0.70, 0.0)}
EDU_ADULT = (0.30, 0.58, 0.12)
# ASSUMPTION: origin regions by population times a propensity; the south sends
# most labour migrants, the capital fewest.
PROPENSITY = {"bishkek": 0.5, "osh_city": 1.1, "chui": 0.8, "issyk_kul": 0.9, "jalal_abad": 1.3,
              "naryn": 1.1, "osh": 1.4, "talas": 1.1, "batken": 1.5}
origin = {r: region_share[r] * PROPENSITY[r] for r in REGIONS}
tot = sum(origin.values())
origin = {r: v / tot for r, v in origin.items()}

def write_abroad(path, stock):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["region", "destination", "status", "sex", "education", "age", "persons"])
        for r in REGIONS:
            for d, n in stock.items():
                for status, st_share in (("temporary", 1 - SETTLED[d]), ("settled", SETTLED[d])):
                    for band, b_share, fem in BANDS:
                        edu = (1.0, 0.0, 0.0) if band == "0-17" else EDU_ABROAD.get(band, EDU_ADULT)
                        for s, s_share in (("female", fem), ("male", 1 - fem)):
                            for e, e_share in zip(EDUS, edu):
                                v = n * origin[r] * st_share * b_share * s_share * e_share
                                if v > 0:
                                    w.writerow([r, d, status, s, e, band, round(v, 3)])


write_abroad("abroad_2023.csv", STOCK)

# --- Backtest base year, 1 January 2015 ---------------------------------------
# Residents: each WPP five-year band at 2015 is the geometric mean of its 2010
# and 2020 values (spread evenly within the band), scaled to the mean of the
# WDI mid-year populations of 2014 and 2015. Regional and education shares as
# in 2023 (ASSUMPTION: no 2015 breakdown in sources/).
bands = {}
for r in rows("wpp2024_kgz_population_by_age_sex.csv"):
    if r["year"] in ("2010", "2020"):
        lo = int(r["age_start"])
        hi = int(r["age_end"]) if r["age_end"] else 100
        bands.setdefault((r["sex"], lo, hi), {})[r["year"]] = float(r["population"])
pop2015 = {s: [0.0] * 101 for s in SEXES}
for (s, lo, hi), v in bands.items():
    mid = math.sqrt(v["2010"] * v["2020"]) if v["2010"] > 0 and v["2020"] > 0 else 0.5 * (v["2010"] + v["2020"])
    for a in range(lo, hi + 1):
        pop2015[s][a] = mid / (hi - lo + 1)
target2015 = 0.5 * (wdi("SP.POP.TOTL", 2014) + wdi("SP.POP.TOTL", 2015))
k2015 = target2015 / sum(sum(v) for v in pop2015.values())
for s in SEXES:
    pop2015[s] = [v * k2015 for v in pop2015[s]]
write_home("home_2015.csv", pop2015)
# Citizens abroad at the end of 2015 (SMS, kgz_migrant_stocks.csv): Russia
# 520,000, Kazakhstan 113,000, South Korea 14,000, Turkey 10,000, and the rest
# of "almost 700,000" (43,000) elsewhere. Profiles as in 2023.
write_abroad("abroad_2015.csv", {"russia": 520000, "kazakhstan": 113000, "south_korea": 14000, "turkey": 10000, "rest_of_world": 43000})

# --- Mortality: WPP 2024 mx for 2020, abridged ages ---------------------------
with open("mx_wpp2024_2020.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["sex", "age_start", "mx"])
    for s in SEXES:
        for a in sorted(mx2020[s]):
            w.writerow([s, a, mx2020[s][a]])

# Regional wage index (printed for baseline.toml): NSC 2025 averages relative
# to their population-weighted mean.
wages = {"bishkek": 54618, "issyk_kul": 46261, "naryn": 39934, "talas": 38725, "osh_city": 34662,
         "jalal_abad": 34633, "chui": 33837, "batken": 31461, "osh": 26914}
mean = sum(wages[r] * region_share[r] for r in REGIONS)
for r in REGIONS:
    print(f"{r}: population share {region_share[r]:.4f}, wage_index {wages[r] / mean:.3f}")
print(f"residents 2023-01-01: {target:.0f}")

# --- Backtest observations, 2015-2024 -----------------------------------------
# What the backtest is judged against: every figure in sources/ for those years
# that the model reports. Residents at 1 January t: mean of WDI mid-year t-1
# and t. Births and deaths in year t: WDI crude rate x mid-year population.
with open("backtest_observed_2015_2024.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["indicator", "dimension", "year", "value", "source"])
    for t in range(2016, 2025):
        v = 0.5 * (wdi("SP.POP.TOTL", t - 1) + wdi("SP.POP.TOTL", t))
        w.writerow(["population_home", "", t, round(v), "WDI SP.POP.TOTL, mean of mid-years t-1 and t"])
    for t in range(2015, 2024):
        pop = wdi("SP.POP.TOTL", t)
        w.writerow(["births", "", t, round(wdi("SP.DYN.CBRT.IN", t) * pop / 1000), "WDI SP.DYN.CBRT.IN x SP.POP.TOTL"])
        w.writerow(["deaths", "", t, round(wdi("SP.DYN.CDRT.IN", t) * pop / 1000), "WDI SP.DYN.CDRT.IN x SP.POP.TOTL"])
    for t in (2023, 2024):
        w.writerow(["remittances_usd", "", t, round(wdi("BX.TRF.PWKR.CD.DT", t)), "WDI BX.TRF.PWKR.CD.DT"])
        w.writerow(["gdp_usd", "", t, round(wdi("NY.GDP.MKTP.CD", t)), "WDI NY.GDP.MKTP.CD"])
    w.writerow(["population_abroad", "destination=russia", 2024, 408448, "Kyrgyz citizens staying in Russia, 2023 (Russian authorities via Kyrgyz MFA)"])
    w.writerow(["population_abroad", "", 2024, 540000, "UN DESA migrant stock mid-2024 (via IOM, 24.kg)"])
