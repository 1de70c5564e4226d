#!/usr/bin/env python3
"""Annual-average wages in USD for Russia and Kazakhstan, 2010-2024: each year's
national average monthly wage in local currency (one source row per year, in
sources/wages_annual_local.csv or sources/kgz_wages.csv) over WDI's average
exchange rate of that year (PA.NUS.FCRF). Writes wages_usd_annual.csv and
prints the backtest's `wage_usd` and `wage_growth` for a start year.

Run from this folder: `python3 destination_wages.py [START]` (default 2016);
`--check` instead compares wages_usd_annual.csv with what the sources give and
exits 1 if they differ (CI runs it). Standard library only; deterministic."""

import csv
import io
import sys

SRC = "sources/"
CURRENCY = {"RUS": "RUB", "KAZ": "KZT"}
NAME = {"RUS": "russia", "KAZ": "kazakhstan"}


def rows(name):
    with open(SRC + name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def rates():
    out = {}
    for r in rows("wdi_kgz_annual.csv"):
        if r["indicator"] == "PA.NUS.FCRF" and r["country"] in CURRENCY:
            out[(r["country"], int(r["year"]))] = float(r["value"])
    return out


def local_wages():
    """One row per (country, year): a whole-year figure in local currency.
    Part-year figures (a month, a half year) are left out on purpose: they
    are what the backtest used to interpolate through, and a single month can
    sit far from the year's average."""
    out = {}
    annual = rows("wages_annual_local.csv") + [
        r for r in rows("kgz_wages.csv") if r["currency"] == "KZT" and "(annual)" in r["measure"]
    ]
    for r in annual:
        if r["country"] not in CURRENCY or not r["period"].isdigit():
            continue
        key = (r["country"], int(r["period"]))
        if key in out:
            continue  # the first row of a year is kept; later rows are cross-checks
        out[key] = r
    return out


def series():
    fx = rates()
    out = []
    for (country, year), r in sorted(local_wages().items()):
        rate = fx[(country, year)]
        out.append({
            "country": country,
            "year": year,
            "wage_local": float(r["value"]),
            "currency": r["currency"],
            "rate_per_usd": rate,
            "wage_usd": round(float(r["value"]) / rate, 1),
            "status": r["status"],
            "source": r["source"],
        })
    return out


def as_csv(data):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(data[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(data)
    return out.getvalue()


def main():
    data = series()
    if sys.argv[1:] == ["--check"]:
        with open("wages_usd_annual.csv", encoding="utf-8") as f:
            if f.read() != as_csv(data):
                sys.exit("wages_usd_annual.csv is not what the sources give: run python3 destination_wages.py")
        print("wages_usd_annual.csv: every row is what the sources give")
        return
    start = int(sys.argv[1]) if len(sys.argv) > 1 else 2016
    with open("wages_usd_annual.csv", "w", newline="", encoding="utf-8") as f:
        f.write(as_csv(data))
    for country in CURRENCY:
        usd = {d["year"]: d["wage_usd"] for d in data if d["country"] == country}
        years = sorted(y for y in usd if y >= start)
        print(f"# {NAME[country]}: " + ", ".join(f"{y} {usd[y]:.0f}" for y in years))
        print(f"wage_usd = {usd[start]:.0f}")
        growth = []
        prev_year, prev = start, usd[start]
        for y in years[1:]:
            # A gap of several years gets a constant rate over it.
            g = (usd[y] / prev) ** (1.0 / (y - prev_year)) - 1.0
            growth += [(z, g) for z in range(prev_year + 1, y + 1)]
            prev_year, prev = y, usd[y]
        print("wage_growth = { " + ", ".join(f"{y} = {g:.4f}" for y, g in growth) + " }")


if __name__ == "__main__":
    main()
