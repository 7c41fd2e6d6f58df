"""The extractor's score on the development sets, as shared/tools/score_plans.py computes it.

A regression check: the floors sit a little below what the extractor reaches today.
"""

import importlib.util
import json
from pathlib import Path

import pytest

from ducha.plans.extract import extract_text

ROOT = Path(__file__).resolve().parents[3]
SCORER = (ROOT / "../shared/tools/score_plans.py").resolve()
PLANS_DEV = (ROOT / "../shared/plans-dev").resolve()
OWN_DEV = Path(__file__).resolve().parent / "devset"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_plans", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _overall(folder: Path) -> float:
    """Score every NN.txt against NN.json, pooled per field, like the scorer's main()."""
    sp = _scorer()
    rows = []
    for answer in sorted(folder.glob("*.json")):
        gold = json.loads(answer.read_text(encoding="utf-8"))
        text = answer.with_suffix(".txt").read_text(encoding="utf-8")
        if text.startswith("# source:"):
            text = text.split("\n", 1)[1]
        rows.append(sp.counts(gold, extract_text(text)[0]))
    pooled = {f: tuple(sum(r[f][k] for r in rows) for k in range(3)) for f in sp.FIELDS}
    scores = [s for s in (sp.f1(*pooled[f]) for f in sp.FIELDS) if s is not None]
    return sum(scores) / len(scores)


@pytest.mark.parametrize(("folder", "floor"), [(PLANS_DEV, 0.97), (OWN_DEV, 0.97)])
def test_it_keeps_its_score(folder, floor):
    assert _overall(folder) >= floor
