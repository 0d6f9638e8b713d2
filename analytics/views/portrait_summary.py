"""The plain-language summary of a cadre portrait, in Chinese and English.

:func:`summarize` is a pure function of the figures of
:func:`analytics.views.portrait.summary_figures` (a dict of plain values): no database, no
Streamlit.  Its templates are the ``portrait.sum.*`` strings of
``analytics/locales/portrait.toml``, so both languages always say the same thing.  It writes
three to six sentences a presenter can read out:

1. standing in the peer group with the composite's interval and the rank interval (or, for
   a cadre without a score, the basic facts and why there is none);
2. the relatively strongest and weakest dimension against the peer median;
3. a divergence between rater groups, only when two groups above the anonymity floor
   differ clearly (see :func:`analytics.views.portrait.group_divergence`);
4. self-assessment against the others' marks, with the peers' usual gap;
5. the trend against the previous period, stated as clear only beyond the uncertainty;
6. the flags on record and the balance of talk mentions.
"""

from __future__ import annotations

from analytics import i18n

MAX_FLAGS_NAMED = 3


def _t(key: str, lang: str, **values) -> str:
    return i18n.t(key, lang, **values)


def _mid(text: str, lang: str) -> str:
    """A name used inside an English sentence starts lower-case (not acronyms)."""
    if lang != "en" or len(text) < 2 or text[1].isupper():
        return text
    return text[0].lower() + text[1:]


def peer_label(peer_group: str | None, lang: str) -> str:
    """``"<unit type> team members"`` (the scores' peer groups) in words; else as stored."""
    if not peer_group:
        return ""
    unit_type, _, rest = peer_group.partition(" ")
    key = f"portrait.peer.{unit_type}"
    if rest == "team members" and key in i18n.STRINGS:
        return _t(key, lang)
    return peer_group


def period_name(period_id: str | None, label: str | None, lang: str) -> str:
    return (label or period_id or "") if lang == "zh" else (period_id or "")


def tenure(months: int | None, lang: str) -> str:
    """Time in post in words (years and months)."""
    if months is None:
        return _t("portrait.tenure.unknown", lang)
    if months < 0:
        return _t("portrait.tenure.after", lang)
    years, rest = divmod(int(months), 12)

    def part(n: int, unit: str) -> str:
        return (
            _t(f"portrait.tenure.{unit}_one", lang)
            if n == 1
            else _t(f"portrait.tenure.{unit}s", lang, n=n)
        )

    if years == 0:
        return part(rest, "month")
    if rest == 0:
        return part(years, "year")
    return _t("portrait.tenure.join", lang, years=part(years, "year"), months=part(rest, "month"))


def _num(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}"


def _signed(x: float, digits: int = 2) -> str:
    return f"{x:+.{digits}f}"


def _standing(fig: dict, lang: str) -> str:
    s = fig["standing"]
    period = period_name(fig["period_id"], fig.get("period_label"), lang)
    values = {
        "name": fig["name"],
        "position": fig["position"],
        "unit": fig["unit_name"],
        "period": period,
        "c": _num(s["composite"]),
        "lo": _num(s["ci_low"]),
        "hi": _num(s["ci_high"]),
        "level": f"{s['level'] * 100:.0f}",
        "rank": s["rank"],
        "n": s["peer_size"],
        "peer": peer_label(s["peer_group"], lang),
        "rl": s["rank_low"],
        "rh": s["rank_high"],
        "p": f"{s['percentile']:.0f}",
        "pl": f"{s['pct_low']:.0f}",
        "ph": f"{s['pct_high']:.0f}",
    }
    if s["rank_low"] != s["rank_high"]:
        key = "portrait.sum.standing"
    elif s["rank"] == 1:
        key = "portrait.sum.standing_first"
    elif s["rank"] == s["peer_size"]:
        key = "portrait.sum.standing_last"
    else:
        key = "portrait.sum.standing_exact"
    text = _t(key, lang, **values)
    if s.get("missing"):
        sep = "、" if lang == "zh" else ", "
        names = sep.join(_mid(_t(f"score.{c}", lang), lang) for c in s["missing"])
        text = text[:-1] + _t("portrait.sum.missing", lang, channels=names)
    x = s.get("composite_excl_flagged")
    if s.get("flagged_sheets") and x is not None and not s["ci_low"] <= x <= s["ci_high"]:
        # flagged sheets move the score beyond its interval: both figures, said plainly
        text += ("" if lang == "zh" else " ") + _t(
            "portrait.sum.excl_flagged",
            lang,
            n=s["flagged_sheets"],
            x=_num(x),
            lo=_num(s["ci_low_excl_flagged"]),
            hi=_num(s["ci_high_excl_flagged"]),
        )
    return text


def _not_scored(fig: dict, lang: str) -> list[str]:
    values = {
        "name": fig["name"],
        "position": fig["position"],
        "unit": fig["unit_name"],
        "tier": _mid(_t(f"tier.{fig['tier']}", lang), lang),
        "tenure": tenure(fig.get("months_in_post"), lang),
        "period": period_name(fig["period_id"], fig.get("period_label"), lang),
    }
    first = _t(
        "portrait.sum.facts" if fig.get("age") is not None else "portrait.sum.facts_no_age",
        lang,
        age=fig.get("age"),
        **values,
    )
    why = "portrait.sum.not_team" if fig["tier"] != "team" else "portrait.sum.not_scored"
    return [first, _t(why, lang, **values)]


def _dimensions(d: dict, lang: str) -> str:
    label = f"label_{lang}"
    b, w = d["best"], d["worst"]
    values = {
        "best": _mid(b[label], lang),
        "bm": _num(b["mean"], 2),
        "bp": _num(b["peer_median"], 2),
        "worst": _mid(w[label], lang),
        "wm": _num(w["mean"], 2),
        "wp": _num(w["peer_median"], 2),
        "lo": d["scale_min"],
        "hi": d["scale_max"],
    }
    if w["diff"] > 0:
        key = "portrait.sum.dims_all_above"
    elif b["diff"] < 0:
        key = "portrait.sum.dims_all_below"
    else:
        key = "portrait.sum.dims"
    return _t(key, lang, **values)


def _groups(g: dict, k: int, lang: str) -> str | None:
    div = g.get("divergence")
    if not div:
        return None
    return _t(
        "portrait.sum.groups",
        lang,
        hg=_mid(_t(f"group.{div['high_group']}", lang), lang),
        hr=_signed(div["high_relative"]),
        hm=_num(div["high_mean"], 2),
        lg=_mid(_t(f"group.{div['low_group']}", lang), lang),
        lr=_signed(div["low_relative"]),
        lm=_num(div["low_mean"], 2),
        k=k,
    )


def _self(s: dict, lang: str) -> str:
    values = {
        "s": _num(s["self_mean"], 2),
        "o": _num(s["others_mean"], 2),
        "g": _signed(s["gap"]),
        "item": _mid(s[f"top_label_{lang}"], lang),
        "tg": _signed(s["top_gap"]),
    }
    if s.get("peer_gap") is None:
        return _t("portrait.sum.self_no_peers", lang, **values)
    return _t("portrait.sum.self", lang, pg=_signed(s["peer_gap"]), **values)


def _trend(tr: dict, level: float, lang: str) -> str:
    key = (
        "portrait.sum.trend_clear"
        if tr["clear"]
        else "portrait.sum.trend_flagged"
        if tr.get("flagged")
        else "portrait.sum.trend_unclear"
    )
    change = _t(
        key,
        lang,
        prev_period=period_name(tr["prev_period_id"], tr.get("prev_label"), lang),
        prev=_num(tr["prev"]),
        change=_signed(tr["change"], 1),
        level=f"{level * 100:.0f}",
        n=tr.get("flagged_sheets", 0),
        prev_x=_num(tr["prev_excl"]) if tr.get("flagged") else "",
        last_x=_num(tr["last_excl"]) if tr.get("flagged") else "",
    )
    if tr["n_periods"] < 3:  # the first period is the previous one: say it once
        return change[0].upper() + change[1:]
    return (
        _t(
            "portrait.sum.trend_since",
            lang,
            first_period=period_name(tr["first_period_id"], tr.get("first_label"), lang),
            first=_num(tr["first"]),
            last=_num(tr["last"]),
        )
        + change
    )


def _flags_and_talks(fig: dict, lang: str) -> str:
    flags = fig.get("flags") or []
    sep = "；" if lang == "zh" else "; "
    if flags:
        named = [
            _t(
                "portrait.sum.flag_item",
                lang,
                type=_mid(_t(f"flag.{f['flag_type']}", lang), lang),
                severity=_mid(_t(f"severity.{f['severity']}", lang), lang),
                period=period_name(f["period_id"], f.get("label"), lang)
                if f.get("period_id")
                else _t("portrait.sum.all_periods", lang),
            )
            for f in flags[:MAX_FLAGS_NAMED]
        ]
        more = (
            _t("portrait.sum.flags_more", lang, n=len(flags) - MAX_FLAGS_NAMED)
            if len(flags) > MAX_FLAGS_NAMED
            else ""
        )
        joiner = "、" if lang == "zh" else ", "
        key = "portrait.sum.flag_one" if len(flags) == 1 else "portrait.sum.flags"
        flag_part = _t(key, lang, n=len(flags), items=joiner.join(named) + more)
    else:
        flag_part = _t("portrait.sum.no_flags", lang)
    talks = fig.get("talks") or {}
    n = talks.get("n_mentions", 0)
    if n:
        values = {
            "n": n,
            "t": talks.get("n_talks", 0),
            "pos": talks.get("positive", 0),
            "neu": talks.get("neutral", 0),
            "neg": talks.get("negative", 0),
            "share": f"{100 * talks.get('negative', 0) / n:.0f}",
        }
        city = talks.get("city_negative")
        if city is not None:
            talk_part = _t("portrait.sum.talks_city", lang, city=f"{100 * city:.0f}", **values)
        else:
            talk_part = _t("portrait.sum.talks", lang, **values)
    else:
        talk_part = _t("portrait.sum.no_talks", lang)
    end = "。" if lang == "zh" else "."
    return flag_part + sep + talk_part + end


def summarize(fig: dict, lang: str) -> list[str]:
    """Three to six sentences describing the figures, in ``lang`` (zh or en)."""
    if not fig:
        return []
    if not fig.get("standing"):
        return [*_not_scored(fig, lang), _flags_and_talks(fig, lang)]
    out = [_standing(fig, lang)]
    if fig.get("dimensions"):
        out.append(_dimensions(fig["dimensions"], lang))
    if fig.get("groups"):
        sentence = _groups(fig["groups"], fig.get("k", 0), lang)
        if sentence:
            out.append(sentence)
    if fig.get("self"):
        out.append(_self(fig["self"], lang))
    if fig.get("trend"):
        out.append(_trend(fig["trend"], fig["standing"]["level"], lang))
    else:
        out.append(_t("portrait.sum.first_period", lang))
    out.append(_flags_and_talks(fig, lang))
    return out[:6]


def as_text(sentences: list[str], lang: str) -> str:
    """The sentences as one paragraph (Chinese sentences are not separated by spaces)."""
    return ("" if lang == "zh" else " ").join(sentences)
