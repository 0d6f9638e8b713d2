"""A tiny, valid bundle covering every table (also shipped as data/sample_bundle/).

Tests copy it and break one thing at a time; ``write_sample_bundle`` is deterministic.
"""

from __future__ import annotations

import csv
from pathlib import Path

from analytics.schema import TABLES


def sample_tables() -> dict[str, list[dict[str, object]]]:
    areas = [
        {"area_id": "01", "name": "第一考察责任区", "leader": "王建国"},
        {"area_id": "02", "name": "第二考察责任区", "leader": "李红梅"},
    ]
    units = [
        {
            "unit_id": "0101",
            "name": "市委办公室",
            "unit_type": "party",
            "area_id": "01",
            "staff_count": 86,
        },
        {
            "unit_id": "0102",
            "name": "市交通运输局",
            "unit_type": "government",
            "area_id": "01",
            "staff_count": 412,
        },
        {
            "unit_id": "0201",
            "name": "市城建集团",
            "unit_type": "enterprise",
            "area_id": "02",
            "staff_count": 1350,
        },
    ]
    names = [
        "张伟",
        "刘洋",
        "陈静",
        "杨帆",
        "赵敏",
        "孙磊",
        "周婷",
        "吴刚",
        "郑丽",
        "冯超",
        "褚文",
        "卫东",
        "蒋欣",
        "沈航",
        "韩雪",
    ]
    cadres, k = [], 0
    for u in units:
        for j, (role, tier, pos) in enumerate(
            [
                ("principal", "team", "主要负责人"),
                ("deputy", "team", "副职"),
                ("member", "team", "班子成员"),
                ("member", "middle", "科长"),
                ("member", "subordinate_head", "中心主任"),
            ]
        ):
            cadres.append(
                {
                    "cadre_id": f"{u['unit_id']}{j + 1:03d}",
                    "name": names[k],
                    "unit_id": u["unit_id"],
                    "position": pos,
                    "role": role,
                    "tier": tier,
                    "gender": "F" if k % 3 == 2 else "M",
                    "birth_year": 1968 + k,
                    "education": "硕士研究生" if k % 2 else "本科",
                    "in_post_since": f"20{18 + k % 6}-0{1 + k % 9}-15",
                }
            )
            k += 1
    periods = [
        {
            "period_id": "2026Q1",
            "label": "2026年第一季度",
            "start_date": "2026-01-01",
            "end_date": "2026-03-31",
        },
        {
            "period_id": "2026Q2",
            "label": "2026年第二季度",
            "start_date": "2026-04-01",
            "end_date": "2026-06-30",
        },
    ]
    items = [
        {
            "item_id": "T_POL",
            "subject_type": "team",
            "dimension": "political",
            "label_zh": "政治建设",
            "label_en": "Political building",
            "scale_max": 4,
            "scale_min": 1,
        },
        {
            "item_id": "T_OVR",
            "subject_type": "team",
            "dimension": "overall",
            "label_zh": "总体评价",
            "label_en": "Overall",
            "scale_max": 4,
            "scale_min": 1,
        },
        {
            "item_id": "C_POL",
            "subject_type": "cadre",
            "dimension": "political",
            "label_zh": "政治素质",
            "label_en": "Political quality",
            "scale_max": 4,
            "scale_min": 1,
        },
        {
            "item_id": "C_ABI",
            "subject_type": "cadre",
            "dimension": "ability",
            "label_zh": "履职能力",
            "label_en": "Ability",
            "scale_max": 4,
            "scale_min": 1,
        },
        {
            "item_id": "C_OVR",
            "subject_type": "cadre",
            "dimension": "overall",
            "label_zh": "总体评价",
            "label_en": "Overall",
            "scale_max": 4,
            "scale_min": 1,
        },
    ]
    team = {
        u["unit_id"]: [
            c["cadre_id"] for c in cadres if c["unit_id"] == u["unit_id"] and c["tier"] == "team"
        ]
        for u in units
    }
    ballots = []
    groups = ["team_member", "middle_manager", "staff"]
    for p in ("2026Q1", "2026Q2"):
        for u in units:
            uid = u["unit_id"]
            for s in range(6):
                bid = f"{p}-{uid}-{s + 1:03d}"
                g = groups[s % 3]
                ts = f"2026-{'03' if p == '2026Q1' else '06'}-2{s}T09:{10 + s}:00+08:00"
                for it in ("T_POL", "T_OVR"):
                    ballots.append(
                        {
                            "ballot_id": bid,
                            "period_id": p,
                            "unit_id": uid,
                            "rater_group": g,
                            "subject_type": "team",
                            "subject_id": uid,
                            "item_id": it,
                            "score": 4 - (s + len(it)) % 2,
                            "submitted_at": ts,
                        }
                    )
                for ci, cid in enumerate(team[uid]):
                    for it in ("C_POL", "C_ABI", "C_OVR"):
                        ballots.append(
                            {
                                "ballot_id": bid,
                                "period_id": p,
                                "unit_id": uid,
                                "rater_group": g,
                                "subject_type": "cadre",
                                "subject_id": cid,
                                "item_id": it,
                                "score": 4 - (s + ci + len(it)) % 3,
                                "submitted_at": ts,
                            }
                        )
    performance, surveys, third, superior, selfs, verif, talks, mentions = ([] for _ in range(8))
    for p in ("2026Q1", "2026Q2"):
        for ui, u in enumerate(units):
            uid = u["unit_id"]
            for n in range(3):
                performance.append(
                    {
                        "period_id": p,
                        "unit_id": uid,
                        "indicator_id": f"P0{n + 1}",
                        "indicator": ["经济发展", "项目推进", "安全生产"][n],
                        "score": 70 + 7 * n + ui,
                        "max_score": 100,
                        "weight": 1 + n % 2,
                        "cadre_id": "",
                    }
                )
            performance.append(
                {
                    "period_id": p,
                    "unit_id": uid,
                    "indicator_id": "P10",
                    "indicator": "分管领域重点任务",
                    "score": 8.5,
                    "max_score": 10,
                    "weight": 0.5,
                    "cadre_id": team[uid][1],
                }
            )
            for r in range(4):
                for q in ("S1", "S2"):
                    surveys.append(
                        {
                            "response_id": f"{p}-{uid}-R{r + 1:02d}",
                            "period_id": p,
                            "unit_id": uid,
                            "source": "grassroots",
                            "item_id": q,
                            "score": 3 + (r + ui) % 3,
                            "submitted_at": f"2026-0{2 if p == '2026Q1' else 5}-1"
                            f"{r}T1{r}:00:00+08:00",
                        }
                    )
            third.append(
                {
                    "period_id": p,
                    "unit_id": uid,
                    "provider": "市统计局调查队",
                    "sample_size": 120 + 10 * ui,
                    "satisfaction": 82.5 + ui,
                }
            )
            superior.append(
                {
                    "period_id": p,
                    "subject_type": "team",
                    "subject_id": uid,
                    "department": "省交通运输厅" if ui == 1 else "市委",
                    "rating": 3 + ui % 2,
                    "comment": "工作扎实，配合积极",
                }
            )
            superior.append(
                {
                    "period_id": p,
                    "subject_type": "cadre",
                    "subject_id": team[uid][0],
                    "department": "市委",
                    "rating": 4,
                    "comment": "",
                }
            )
            for it in ("T_POL", "T_OVR"):
                selfs.append(
                    {
                        "period_id": p,
                        "subject_type": "team",
                        "subject_id": uid,
                        "item_id": it,
                        "score": 4,
                    }
                )
            for it in ("C_POL", "C_ABI", "C_OVR"):
                selfs.append(
                    {
                        "period_id": p,
                        "subject_type": "cadre",
                        "subject_id": team[uid][0],
                        "item_id": it,
                        "score": 3.5,
                    }
                )
            verif.append(
                {
                    "period_id": p,
                    "unit_id": uid,
                    "claim_id": "V1",
                    "claim": "重点项目按期开工",
                    "result": "confirmed",
                    "note": "",
                }
            )
            if ui == 2:
                verif.append(
                    {
                        "period_id": p,
                        "unit_id": uid,
                        "claim_id": "V2",
                        "claim": "安全隐患全部整改",
                        "result": "partial",
                        "note": "两处整改未完成",
                    }
                )
            for ci, cid in enumerate(c["cadre_id"] for c in cadres if c["unit_id"] == uid):
                tid = f"T{p}-{uid}-{ci + 1:02d}"
                tier = next(c["tier"] for c in cadres if c["cadre_id"] == cid)
                talks.append(
                    {
                        "talk_id": tid,
                        "period_id": p,
                        "unit_id": uid,
                        "area_id": u["area_id"],
                        "interviewee_tier": tier,
                        "interviewee_id": cid,
                        "talk_date": f"2026-0{3 if p == '2026Q1' else 6}-1{ci}",
                        "duration_min": 30 + 10 * ci,
                    }
                )
                mentions.append(
                    {
                        "talk_id": tid,
                        "subject_type": "cadre",
                        "subject_id": team[uid][0],
                        "stance": ["positive", "neutral", "negative"][ci % 3],
                        "topic": "responsibility",
                        "note": "",
                    }
                )
                mentions.append(
                    {
                        "talk_id": tid,
                        "subject_type": "team",
                        "subject_id": uid,
                        "stance": "positive",
                        "topic": "unity",
                        "note": '班子团结，"议事规则"健全',
                    }
                )
    return {
        "areas": areas,
        "units": units,
        "cadres": cadres,
        "periods": periods,
        "items": items,
        "ballots": ballots,
        "performance": performance,
        "surveys": surveys,
        "third_party": third,
        "superior_opinions": superior,
        "self_assessments": selfs,
        "verifications": verif,
        "talks": talks,
        "talk_mentions": mentions,
    }


def write_csv(
    path: Path, rows: list[dict], columns: list[str], encoding: str = "utf-8", newline: str = "\n"
) -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator=newline)
        w.writeheader()
        w.writerows(rows)


def write_sample_bundle(folder: Path, tables: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = sample_tables()
    for name in tables or list(data):
        write_csv(folder / f"{name}.csv", data[name], TABLES[name].column_names)
    return folder


if __name__ == "__main__":  # regenerate data/sample_bundle
    write_sample_bundle(Path(__file__).resolve().parent.parent / "data" / "sample_bundle")
