"""Plain figures the dashboard shows: every number carries what it was computed from."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Ratio:
    """A share with its numerator and denominator; value is None when the denominator is 0."""

    numerator: float
    denominator: float

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return self.numerator / self.denominator

    def rounded(self, digits: int = 2) -> float | None:
        """Rounded half up, as people round (0.625 -> 0.63), not to even as round() does."""
        value = self.value
        if value is None:
            return None
        return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))

    def to_dict(self) -> dict:
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.rounded(4)}


@dataclass(frozen=True)
class Threshold:
    """A default number from a data file, with where it comes from."""

    value: float
    source: str
    estimate: bool = False
    caveat: str = ""

    def to_dict(self) -> dict:
        data = {"value": self.value, "source": self.source, "estimate": self.estimate}
        if self.caveat:
            data["caveat"] = self.caveat
        return data
