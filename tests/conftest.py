import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "metafor" / "reference.json"


@pytest.fixture(scope="session")
def metafor_reference() -> dict:
    """Numbers from R metafor 3.8.1, made by tests/metafor/make_reference.R."""
    return json.loads(REFERENCE.read_text())
