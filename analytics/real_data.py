"""Real public rating data turned into import bundles, so the detectors can be tried on data
nobody here made.  The Eurovision juror file is kept in data/real/eurovision/ with its
SOURCE.md and MIT licence (copied unchanged from the team's shared/real/).

Eurovision national juries 2016–2022 (``jurors.csv``): five anonymous jurors per national
jury rank every entry of a show except their own country's.  Mapping:

* a show (year + round) → a unit (unit_type ``institution``), all in one area;
* a year → a period;
* an entry (country in a show) → a cadre of that unit (tier team, role member);
* a national jury → a rater group (its ISO country code), each juror → one sheet;
* rank r of N − 1 ranked entries → score N − r on an item ``RANK<N−1>`` with scale
  1 … N − 1 (higher is better; the juror's favourite gets the top of the scale).

Juror E of Russia, 2016 semi-final 1 (dismissed, 17 empty cells) has no sheet.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from analytics.schema import TABLES

REAL = Path(__file__).resolve().parent.parent / "data" / "real"


def eurovision_bundle(out: Path, jurors_csv: Path | None = None) -> Path:
    """Write the Eurovision juries as a bundle folder; return it."""
    src = jurors_csv or REAL / "eurovision" / "jurors.csv"
    df = pd.read_csv(
        src,
        dtype={"year": str, "round": str, "from_country": str, "to_country": str},
        keep_default_na=False,
    )
    df["unit_id"] = df["year"] + "-" + df["round"]
    long = df.melt(
        id_vars=["year", "round", "unit_id", "from_country", "to_country"],
        value_vars=["A", "B", "C", "D", "E"],
        var_name="juror",
        value_name="rank",
    )
    long = long[~long["rank"].astype(str).str.strip().isin(["", "NA"])]
    long["rank"] = long["rank"].astype(int)
    n_ranked = long.groupby(["unit_id", "from_country", "juror"])["rank"].transform("max")
    long["score"] = n_ranked + 1 - long["rank"]
    long["item_id"] = "RANK" + n_ranked.astype(str)
    out.mkdir(parents=True, exist_ok=True)
    shows = long[["unit_id", "year", "round"]].drop_duplicates().sort_values("unit_id")
    tables: dict[str, pd.DataFrame] = {
        "areas": pd.DataFrame(
            [{"area_id": "ESC", "name": "Eurovision Song Contest", "leader": ""}]
        ),
        "periods": pd.DataFrame(
            [
                {
                    "period_id": y,
                    "label": f"Eurovision {y}",
                    "start_date": f"{y}-01-01",
                    "end_date": f"{y}-12-31",
                }
                for y in sorted(long["year"].unique())
            ]
        ),
        "units": pd.DataFrame(
            {
                "unit_id": shows["unit_id"],
                "name": "Eurovision " + shows["year"] + " " + shows["round"],
                "unit_type": "institution",
                "area_id": "ESC",
                "staff_count": "",
            }
        ),
    }
    entries = long[["unit_id", "to_country"]].drop_duplicates()
    tables["cadres"] = pd.DataFrame(
        {
            "cadre_id": entries["unit_id"] + "-" + entries["to_country"],
            "name": entries["to_country"],
            "unit_id": entries["unit_id"],
            "position": "entry",
            "role": "member",
            "tier": "team",
            "gender": "",
            "birth_year": "",
            "education": "",
            "in_post_since": "",
        }
    )
    sizes = sorted(long["item_id"].str[4:].astype(int).unique())
    tables["items"] = pd.DataFrame(
        [
            {
                "item_id": f"RANK{n}",
                "subject_type": "cadre",
                "dimension": "overall",
                "label_zh": f"排名（{n} 名）",
                "label_en": f"rank among {n}",
                "scale_max": n,
                "scale_min": 1,
            }
            for n in sizes
        ]
    )
    tables["ballots"] = pd.DataFrame(
        {
            "ballot_id": long["unit_id"] + "-" + long["from_country"] + "-" + long["juror"],
            "period_id": long["year"],
            "unit_id": long["unit_id"],
            "rater_group": long["from_country"],
            "subject_type": "cadre",
            "subject_id": long["unit_id"] + "-" + long["to_country"],
            "item_id": long["item_id"],
            "score": long["score"],
            "submitted_at": "",
        }
    )
    for name, frame in tables.items():
        frame[TABLES[name].column_names].to_csv(
            out / f"{name}.csv", index=False, quoting=csv.QUOTE_MINIMAL
        )
    return out
