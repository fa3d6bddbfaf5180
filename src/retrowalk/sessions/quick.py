"""Quick sessions: a one-line spec such as ``5x(1m back, 1m fwd)`` turned into planned segments.

Grammar (case-insensitive, spaces optional except between a duration and its direction)::

    spec      := item ("," item)*
    item      := segment | repeat
    repeat    := COUNT "x" "(" segment ("," segment)* ")"      # no nesting
    segment   := NUMBER UNIT DIRECTION
    COUNT     := digits, 1 to QUICK_MAX_REPEATS
    NUMBER    := digits, optionally "." digits                  # "1.5m" is 90 s
    UNIT      := "s" | "sec" | "m" | "min"
    DIRECTION := "back" | "backward" | "backwards" | "bwd"
               | "fwd" | "forward" | "forwards"

Examples: ``5x(1m back, 1m fwd)``, ``2m fwd, 3x(90s back, 60s fwd), 2m fwd``.

The spec only says *how long* and *which way*. Where and with what support the segments are walked
are parameters of :func:`parse_quick`, with the safe beginner defaults of the product brief (a
hallway, one hand on a wall or rail).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from retrowalk.errors import InvalidInputError
from retrowalk.segments import PlannedSegment
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support

__all__ = [
    "QUICK_GRAMMAR",
    "QUICK_MAX_CHARS",
    "QUICK_MAX_REPEATS",
    "QUICK_MAX_SEGMENTS",
    "QUICK_MAX_TOTAL_S",
    "QUICK_MIN_SEGMENT_S",
    "format_quick",
    "parse_quick",
]

#: Longest spec accepted, in characters (a guard against pasted garbage, not a training limit).
QUICK_MAX_CHARS = 500
#: Highest repeat count in ``Nx(...)``; 30x(1m back, 1m fwd) is a full hour.
QUICK_MAX_REPEATS = 50
#: Most segments after expanding repeats.
QUICK_MAX_SEGMENTS = 200
#: Shortest segment: below 5 s the start and end cues would overlap (a typo guard, not advice).
QUICK_MIN_SEGMENT_S = 5.0
#: Longest quick session (2 hours): a guard against typos such as ``60x(10m back)``, not advice.
QUICK_MAX_TOTAL_S = 2 * 3600.0

#: What a syntax error reports as accepted (``InvalidInputError.accepted``), word for word.
QUICK_GRAMMAR = (
    'comma-separated segments "<number><s|m> <back|fwd>", optionally repeated as '
    '"<count>x(<segments>)", e.g. "5x(1m back, 1m fwd)" or "2m fwd, 3x(90s back, 60s fwd), 2m fwd"'
)

_UNIT_SECONDS = {"s": Decimal(1), "sec": Decimal(1), "m": Decimal(60), "min": Decimal(60)}
_DIRECTIONS = {
    "back": Direction.BACKWARD,
    "backward": Direction.BACKWARD,
    "backwards": Direction.BACKWARD,
    "bwd": Direction.BACKWARD,
    "fwd": Direction.FORWARD,
    "forward": Direction.FORWARD,
    "forwards": Direction.FORWARD,
}
_TOKEN = re.compile(r"\s*(?:(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<word>[a-z]+)|(?P<punct>[(),]))", re.A)
_TRAILING_SPACE = re.compile(r"\s*\Z")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "num", "word" or "punct"
    text: str


@dataclass(frozen=True, slots=True)
class _Part:
    duration_s: float
    direction: Direction
    #: Written inside a repeat group that also has a backward segment (then forward is recovery).
    in_backward_group: bool = False


def _syntax_error(spec: str) -> InvalidInputError:
    return InvalidInputError("quick", spec, QUICK_GRAMMAR)


def _tokenize(spec: str) -> list[_Token]:
    text = spec.lower()
    tokens: list[_Token] = []
    pos = 0
    while not _TRAILING_SPACE.match(text, pos):
        match = _TOKEN.match(text, pos)
        if match is None or match.lastgroup is None:
            raise _syntax_error(spec)
        tokens.append(_Token(match.lastgroup, match.group(match.lastgroup)))
        pos = match.end()
    return tokens


class _Parser:
    """Recursive descent over the token list; every failure is an :class:`InvalidInputError`."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.tokens = _tokenize(spec)
        self.pos = 0

    def _peek(self, ahead: int = 0) -> _Token | None:
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def _take(self, kind: str, text: str | None = None) -> _Token:
        token = self._peek()
        if token is None or token.kind != kind or (text is not None and token.text != text):
            raise _syntax_error(self.spec)
        self.pos += 1
        return token

    def parse(self) -> list[_Part]:
        parts: list[_Part] = []
        while True:
            parts.extend(self._item())
            if len(parts) > QUICK_MAX_SEGMENTS:
                raise InvalidInputError(
                    "quick", self.spec, f"at most {QUICK_MAX_SEGMENTS} segments in all"
                )
            if self._peek() is None:
                return parts
            self._take("punct", ",")

    def _item(self) -> list[_Part]:
        second = self._peek(1)
        if second is not None and second.kind == "word" and second.text == "x":
            return self._repeat()
        return [self._segment()]

    def _repeat(self) -> list[_Part]:
        count_text = self._take("num").text
        self._take("word", "x")
        self._take("punct", "(")
        group = [self._segment()]
        while self._peek() == _Token("punct", ","):
            self.pos += 1
            group.append(self._segment())
        self._take("punct", ")")
        if "." in count_text:
            raise _syntax_error(self.spec)
        if not 1 <= int(count_text) <= QUICK_MAX_REPEATS:
            raise InvalidInputError(
                "quick", self.spec, f"repeat counts from 1 to {QUICK_MAX_REPEATS}"
            )
        count = int(count_text)
        if count * len(group) > QUICK_MAX_SEGMENTS:
            raise InvalidInputError(
                "quick", self.spec, f"at most {QUICK_MAX_SEGMENTS} segments in all"
            )
        if any(part.direction is Direction.BACKWARD for part in group):
            group = [_Part(p.duration_s, p.direction, in_backward_group=True) for p in group]
        return group * count

    def _segment(self) -> _Part:
        number = self._take("num").text
        unit = self._take("word").text
        if unit not in _UNIT_SECONDS:
            raise _syntax_error(self.spec)
        direction_word = self._take("word").text
        if direction_word not in _DIRECTIONS:
            raise _syntax_error(self.spec)
        seconds = Decimal(number) * _UNIT_SECONDS[unit]
        if not Decimal(str(QUICK_MIN_SEGMENT_S)) <= seconds <= Decimal(str(QUICK_MAX_TOTAL_S)):
            raise InvalidInputError(
                "quick",
                self.spec,
                f"segments of {QUICK_MIN_SEGMENT_S:g} s to {QUICK_MAX_TOTAL_S / 60:g} min",
            )
        return _Part(float(seconds), _DIRECTIONS[direction_word])


def _kinds(parts: Sequence[_Part]) -> list[SegmentKind]:
    """Segment kinds from directions and grouping (rule in :func:`parse_quick`)."""
    backward = [i for i, p in enumerate(parts) if p.direction is Direction.BACKWARD]
    if not backward:
        return [SegmentKind.FORWARD] * len(parts)
    first, last = backward[0], backward[-1]
    kinds = []
    for i, part in enumerate(parts):
        if part.direction is Direction.BACKWARD:
            kinds.append(SegmentKind.BACKWARD_INTERVAL)
        elif i < first:
            kinds.append(SegmentKind.WARM_UP)
        elif i > last and not part.in_backward_group:
            kinds.append(SegmentKind.COOL_DOWN)
        else:
            kinds.append(SegmentKind.FORWARD_RECOVERY)
    return kinds


def parse_quick(
    spec: str,
    *,
    environment: Environment = Environment.HALLWAY,
    support: Support | None = None,
    speed_target_m_s: float | None = None,
    speed_limit_m_s: float | None = None,
) -> tuple[PlannedSegment, ...]:
    """Parse a quick-session spec into planned segments.

    Parameters
    ----------
    spec
        The spec, e.g. ``"5x(1m back, 1m fwd)"`` (grammar in the module docstring and
        ``docs/sessions.md``).
    environment
        Where every segment is walked. Default: a hallway, the product brief's first place to try.
    support
        What the walker holds. Default ``None`` means the treadmill rails on a treadmill and a
        wall or rail anywhere else (the brief: "a hand on a wall or railing ... until balance
        improves").
    speed_target_m_s
        Belt speed for every segment on a treadmill, in m/s; ``None`` overground.
    speed_limit_m_s
        Highest belt speed allowed, in m/s; required on a treadmill (see
        :class:`~retrowalk.segments.PlannedSegment`).

    Returns
    -------
    tuple of PlannedSegment
        One segment per walked part, repeats expanded, in order. Kinds: backward segments are
        backward intervals; forward segments before the first backward one are the warm-up; after
        the last backward one they are the cool-down, except those written inside a repeat group
        that has a backward segment (``5x(1m back, 1m fwd)`` ends with recovery, not a
        cool-down); all other forward segments are recovery. With no backward segment at all,
        every segment is plain forward walking.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        ``field="quick"``: with ``accepted=QUICK_GRAMMAR`` for any syntax error, or a message naming
        the bound for a repeat count, segment length, segment count or total out of range. Other
        fields (``speed_limit_m_s`` ...) come from :class:`~retrowalk.segments.PlannedSegment`.
    """
    if not isinstance(spec, str) or len(spec) > QUICK_MAX_CHARS:
        raise InvalidInputError(
            "quick", spec, f"a text of at most {QUICK_MAX_CHARS} characters: {QUICK_GRAMMAR}"
        )
    parts = _Parser(spec).parse()
    total_s = sum(part.duration_s for part in parts)
    if total_s > QUICK_MAX_TOTAL_S:
        raise InvalidInputError(
            "quick", spec, f"a total of at most {QUICK_MAX_TOTAL_S / 60:g} minutes"
        )
    if support is None:
        support = Support.TREADMILL_RAILS if environment.is_treadmill else Support.WALL_OR_RAIL
    kinds = _kinds(parts)
    return tuple(
        PlannedSegment(
            kind=kind,
            direction=part.direction,
            duration_s=part.duration_s,
            environment=environment,
            support=support,
            speed_target_m_s=speed_target_m_s,
            speed_limit_m_s=speed_limit_m_s,
        )
        for part, kind in zip(parts, kinds, strict=True)
    )


#: Longest repeating unit :func:`format_quick` looks for.
_MAX_UNIT = 8

_Key = tuple[float, Direction, SegmentKind]


def _format_duration(duration_s: float) -> str:
    if duration_s % 60 == 0:
        return f"{int(duration_s) // 60}m"
    if duration_s == int(duration_s):
        return f"{int(duration_s)}s"
    return f"{duration_s!r}s"


def _format_group(keys: Sequence[_Key], count: int, force_group: bool = False) -> str:
    text = ", ".join(
        f"{_format_duration(k[0])} {'back' if k[1] is Direction.BACKWARD else 'fwd'}" for k in keys
    )
    return f"{count}x({text})" if count > 1 or force_group else text


def _structure_kinds(items: Sequence[tuple[Sequence[_Key], int, bool]]) -> list[SegmentKind]:
    """The kinds :func:`parse_quick` would give to a written structure of items."""
    parts: list[_Part] = []
    for keys, count, grouped in items:
        has_back = grouped and any(k[1] is Direction.BACKWARD for k in keys)
        parts += [_Part(k[0], k[1], has_back) for k in keys] * count
    return _kinds(parts)


def _compress(keys: Sequence[_Key]) -> list[tuple[Sequence[_Key], int, bool]]:
    """Greedy run-length grouping of repeated units of up to ``_MAX_UNIT`` segments."""
    items: list[tuple[Sequence[_Key], int, bool]] = []
    i = 0
    while i < len(keys):
        best_unit, best_count = 1, 1
        for unit in range(1, min(_MAX_UNIT, (len(keys) - i) // 2) + 1):
            count = 1
            while (
                count < QUICK_MAX_REPEATS
                and keys[i + count * unit : i + (count + 1) * unit] == keys[i : i + unit]
            ):
                count += 1
            if count >= 2 and unit * count > best_unit * best_count:
                best_unit, best_count = unit, count
        items.append((keys[i : i + best_unit], best_count, best_count > 1))
        i += best_unit * best_count
    return items


def format_quick(segments: Sequence[PlannedSegment]) -> str:
    """Write segments as a canonical quick spec, grouping repeated runs as ``Nx(...)``.

    Only durations and directions are written: ``parse_quick(format_quick(s), ...)`` with the same
    environment, support and speeds gives ``s`` back for any ``s`` made by :func:`parse_quick`
    (kinds included: a recovery segment after the last backward one is kept inside a group, if
    need be a ``1x(...)`` group).

    Parameters
    ----------
    segments
        The segments to write (at least one).

    Returns
    -------
    str
        E.g. ``"2m fwd, 3x(90s back, 1m fwd), 2m fwd"``.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        If ``segments`` is empty.
    """
    keys = [(s.duration_s, s.direction, s.kind) for s in segments]
    if not keys:
        raise InvalidInputError("segments", (), "at least one segment")
    kinds = [k[2] for k in keys]
    items = _compress(keys)
    has_backward = any(k[1] is Direction.BACKWARD for k in keys)
    if has_backward and _structure_kinds(items) != kinds:
        # Keep trailing recovery with the last backward segment: flat, then "1x(last back,
        # recoveries)", then the cool-down flat.
        last_back = max(i for i, k in enumerate(keys) if k[1] is Direction.BACKWARD)
        tail_end = last_back + 1
        while tail_end < len(keys) and keys[tail_end][2] is SegmentKind.FORWARD_RECOVERY:
            tail_end += 1
        items = [([k], 1, False) for k in keys[:last_back]]
        items.append((keys[last_back:tail_end], 1, True))
        items += [([k], 1, False) for k in keys[tail_end:]]
    return ", ".join(_format_group(group, count, grouped) for group, count, grouped in items)
