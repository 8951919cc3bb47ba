"""A factual summary of a round drafted from its figures, for the board paper (decision 0064).

Plain sentences built only from what ``reports.aggregation`` computed for the shared audience
(the round summary and the lived-experience gap), written with ``ninefold.figures``. They say
where partners differ and agree, what moved beyond the "about the same" band, how people
with lived experience see it and who answered; they never name a partner, and never state a
verdict, a grade or an overall score. The facilitator reads them on the key-messages page
and in the PDF, and decides what to say to the board.
"""

from __future__ import annotations

from ninefold import figures
from reports.aggregation import Gap, PreconditionSummary, RoundSummary

SHOWN = 3  # preconditions named in one sentence at most


def _name(p) -> str:
    return f"{p.code}. {p.name}"


def _and(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return "; ".join(parts[:-1]) + "; and " + parts[-1]


def _spread_list(items: list[PreconditionSummary]) -> str:
    """Each precondition with its range and spread, in figures and words."""
    return _and(
        [
            f"{_name(p)} (partner scores {figures.fmt(p.min_score)} to "
            f"{figures.fmt(p.max_score)}, spread {figures.fmt(p.spread)}: "
            f"{figures.spread_words(p.spread)})"
            for p in items
        ]
    )


def response_sentence(summary: RoundSummary) -> str:
    rate = summary.response_rate
    text = (
        f"{rate.partners_submitted} of {rate.partners_invited} invited partners "
        f"({figures.percent(rate.partners_ratio)}) and {rate.people_submitted} of "
        f"{rate.people_invited} invited people ({figures.percent(rate.people_ratio)}) "
        "submitted answers."
    )
    if summary.state == "open":
        text += " The round is still open, so these figures can still change."
    return text


def differ_sentence(summary: RoundSummary) -> str | None:
    differ = [
        p
        for p in summary.most_disputed(SHOWN)
        if figures.spread_words(p.spread) != figures.BROADLY_AGREE
    ]
    if not differ:
        return None
    return "Partners' views differ most on " + _spread_list(differ) + "."


def agree_sentence(summary: RoundSummary) -> str | None:
    agree = [
        p
        for p in summary.most_agreed(SHOWN)
        if figures.spread_words(p.spread) == figures.BROADLY_AGREE
    ]
    if not agree:
        return None
    return "Their views are closest on " + _spread_list(agree) + "."


def change_sentences(summary: RoundSummary) -> list[str]:
    if summary.previous_round_name is None:
        return ["There is no earlier closed round of this place to compare with."]
    moved = [
        p for p in summary.preconditions if figures.change_kind(p.change) in {"higher", "lower"}
    ]
    same = [p for p in summary.preconditions if figures.change_kind(p.change) == "same"]
    band = figures.fmt(figures.ABOUT_THE_SAME_BELOW)
    sentences = []
    if moved:
        moved.sort(key=lambda p: (-abs(p.change), p.code))
        parts = [
            f"{_name(p)} from {figures.fmt(p.previous_score)} to {figures.fmt(p.place_score)} "
            f"({figures.signed_change(p.change)}, {figures.change_words(p.change)})"
            for p in moved
        ]
        sentences.append(
            f"Compared with {summary.previous_round_name}, these place scores moved by "
            f"{band} or more: " + _and(parts) + "."
        )
    if same:
        count = len(same)
        sentences.append(
            f"{count} other precondition{'s' if count != 1 else ''} moved by less than {band}, "
            f"which reads as {figures.ABOUT_THE_SAME}: who answered differs from round to round."
            if moved
            else f"Compared with {summary.previous_round_name}, every place score moved by less "
            f"than {band}, which reads as {figures.ABOUT_THE_SAME}."
        )
    return sentences


def gap_sentence(gap: Gap) -> str:
    if gap.hidden:
        if not gap.has_lived_respondents:
            return "Nobody invited for their lived experience has submitted answers yet."
        return (
            "The views of people with lived experience are not shown separately: each side "
            f"needs at least {gap.min_group_size} people who answered, and so far "
            f"{gap.lived_respondents} with lived experience and {gap.organisation_respondents} "
            "from organisations have."
        )
    band = figures.ABOUT_THE_SAME_BELOW
    wide = [i for i in gap.widest(SHOWN) if abs(round(i.gap, 1)) >= band]
    intro = (
        f"{gap.lived_respondents} people with lived experience and "
        f"{gap.organisation_respondents} people from organisations answered."
    )
    if not wide:
        return f"{intro} On every precondition the two are less than {figures.fmt(band)} apart."
    parts = [
        f"{_name(i)} ({figures.fmt(i.lived)} against {figures.fmt(i.organisations)}, "
        f"{figures.fmt(abs(i.gap))} {'lower' if i.gap < 0 else 'higher'})"
        for i in wide
    ]
    return (
        f"{intro} Where their scores are furthest from those of organisations: " + _and(parts) + "."
    )


def drafted_summary(summary: RoundSummary, gap: Gap) -> list[str]:
    """The drafted sentences, one paragraph each, in the order the board paper reads them."""
    if not summary.has_answers:
        return [
            response_sentence(summary),
            "No one has submitted answers yet, so there are no figures to summarise.",
        ]
    paragraphs = [response_sentence(summary)]
    differ = differ_sentence(summary)
    if differ:
        paragraphs.append(differ)
    agree = agree_sentence(summary)
    if agree:
        paragraphs.append(agree)
    paragraphs.extend(change_sentences(summary))
    paragraphs.append(gap_sentence(gap))
    return paragraphs
