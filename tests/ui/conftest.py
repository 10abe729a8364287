"""UI tests: cyclic garbage is collected on the GUI thread after each test. Left to Python's
collector, it could run on a background job's thread and destroy Qt widgets there."""
from __future__ import annotations

import gc

import pytest


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread():
    yield
    gc.collect()
