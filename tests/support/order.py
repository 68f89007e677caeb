"""The order the tests run in, for xdist's workers (a conftest hook)."""

from __future__ import annotations

from collections import Counter

import pytest

# Each worker takes the next file when it is nearly done with its own (--dist loadfile): the
# longest files go first, so that the last ones, which a worker may be left with alone while
# the other is done, are short. One worker a core (-n auto): a third worker on two cores was no
# quicker and took more processor time (a build already runs its notebooks on every core).
# The browser tests make the real-Quarto rendering, the longest thing a run makes, as they start:
# first; the real-Quarto tests only read it: last, so that no worker waits for it idle.
FIRST, LAST = "test_browser.py", "test_quarto_real.py"
# Then the files that take longest (measured, longest first; each about 30 s to a minute on two
# cores). Quarto's editions continue the rendering's first render (the Dutch edition), which is
# made by then; the preview waits on its kernels more than it works.
LONGEST = (
    "test_warm_kernels.py",
    "test_quarto_editions.py",
    "test_preview.py",
    "test_another_cooperative.py",
    "test_cache_keys.py",
    "test_incremental.py",
    "test_chart_recipe.py",
    "test_registers.py",
    "test_lock.py",
    "test_robustness.py",
    "test_draft.py",
    "test_year_on_year.py",
    "test_engine.py",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """nbval runs every notebook on the 2024 data, a full compute: not for the fast tier."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
    sizes = Counter(item.path for item in items)
    # files without a slow test (unit tests, a second or two each) fill the end
    builds = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(
        key=lambda i: (
            i.path.name != FIRST,
            i.path.name == LAST,
            LONGEST.index(i.path.name) if i.path.name in LONGEST else len(LONGEST),
            i.path not in builds,
            -sizes[i.path],
        )
    )
