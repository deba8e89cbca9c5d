"""The attribution model's learned numbers, shipped as package data.

``audiobook/data/speaker_weights.json`` holds the feature weights, the calibration
that turns a decision margin into a confidence, and the confidence under which the
model abstains. ``scripts/train_speakers.py`` produces it from the development set.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

FILE = "data/speaker_weights.json"


@dataclass(frozen=True)
class Weights:
    """Feature weights plus margin -> confidence calibration."""

    features: Mapping[str, float] = field(default_factory=dict)
    slope: float = 1.0  # confidence = sigmoid(slope * margin + intercept)
    intercept: float = 0.0
    abstain_below: float = 0.0  # answer "unknown" under this confidence

    def score(self, feats: Mapping[str, float]) -> float:
        """The weighted sum of ``feats``."""
        w = self.features
        return sum(w.get(k, 0.0) * v for k, v in feats.items() if v)

    def confidence(self, margin: float) -> float:
        """How likely a decision with this margin over the runner-up is right."""
        z = self.slope * margin + self.intercept
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": dict(sorted(self.features.items())),
            "slope": self.slope,
            "intercept": self.intercept,
            "abstain_below": self.abstain_below,
        }


@cache
def default_weights() -> Weights:
    """The weights shipped with the package."""
    raw = json.loads(files("audiobook").joinpath(FILE).read_text(encoding="utf-8"))
    return Weights(
        features=raw["features"],
        slope=raw["slope"],
        intercept=raw["intercept"],
        abstain_below=raw["abstain_below"],
    )
