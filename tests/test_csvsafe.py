"""Formula neutralisation in every CSV the product writes, and the exact round trip."""

from __future__ import annotations

import pandas as pd

from analytics import csvsafe
from analytics.cli import main
from analytics.store import Store


def test_text_cells_that_start_a_formula_get_an_apostrophe_numbers_do_not():
    df = pd.DataFrame({"t": ["=1+1", "+x", "-y", "@z", "\tq", "\rr", "ok", None], "n": range(8)})
    out = csvsafe.frame(df)
    assert out["t"].tolist()[:7] == ["'=1+1", "'+x", "'-y", "'@z", "'\tq", "'\rr", "ok"]
    assert pd.isna(out["t"].iloc[7]) and out["n"].tolist() == list(range(8))


def _name(db, unit):
    con = Store(db).open_read()
    try:
        return con.execute("SELECT name FROM units WHERE unit_id = ?", [unit]).fetchone()[0]
    finally:
        con.close()


def test_export_neutralises_and_import_restores_exactly(sample_db, tmp_path):
    bundle = tmp_path / "b"
    assert main(["export-bundle", "--db", str(sample_db), "--out", str(bundle)]) == 0
    units = pd.read_csv(bundle / "units.csv", dtype=str, keep_default_na=False)
    unit = units["unit_id"].iloc[0]
    formula = '=HYPERLINK("http://x","y")'
    units.loc[0, "name"] = formula
    units.to_csv(bundle / "units.csv", index=False)
    db2 = tmp_path / "db2"
    assert main(["import", str(bundle), "--db", str(db2), "--quiet"]) == 0
    assert _name(db2, unit) == formula
    again = tmp_path / "again"
    assert main(["export-bundle", "--db", str(db2), "--out", str(again)]) == 0
    assert "'=HYPERLINK" in (again / "units.csv").read_text(encoding="utf-8")
    db3 = tmp_path / "db3"
    assert main(["import", str(again), "--db", str(db3), "--quiet"]) == 0
    assert _name(db3, unit) == formula
