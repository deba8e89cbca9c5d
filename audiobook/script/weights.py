"""The attribution model's learned numbers, shipped as package data.

``audiobook/data/speaker_weights.json`` holds the feature weights, the calibration
that turns a decision into a confidence, and the confidence under which the model
abstains. ``scripts/train_speakers.py`` produces it from the development set.
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
    """Feature weights, plus the calibration that turns a decision into a confidence."""

    features: Mapping[str, float] = field(default_factory=dict)
    # confidence = sigmoid(sum of calibration[k] * inputs[k]); inputs describe the
    # decision (its margin over the runner-up, what kind of evidence it rests on).
    calibration: Mapping[str, float] = field(default_factory=lambda: {"margin": 1.0})
    abstain_below: float = 0.0  # answer "unknown" under this confidence

    def score(self, feats: Mapping[str, float]) -> float:
        """The weighted sum of ``feats``."""
        w = self.features
        return sum(w.get(k, 0.0) * v for k, v in feats.items() if v)

    def confidence(self, inputs: Mapping[str, float]) -> float:
        """How likely a decision described by ``inputs`` is right, 0..1."""
        z = sum(self.calibration.get(k, 0.0) * v for k, v in inputs.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": dict(sorted(self.features.items())),
            "calibration": dict(sorted(self.calibration.items())),
            "abstain_below": self.abstain_below,
        }


@cache
def default_weights() -> Weights:
    """The weights shipped with the package."""
    raw = json.loads(files("audiobook").joinpath(FILE).read_text(encoding="utf-8"))
    return Weights(
        features=raw["features"],
        calibration=raw["calibration"],
        abstain_below=raw["abstain_below"],
    )
