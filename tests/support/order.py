"""The order the tests run in, for xdist's workers (a conftest hook)."""

from __future__ import annotations

from collections import Counter

import pytest

# The browser tests make the real-Quarto rendering, the longest thing a run makes, as they start:
# first; the real-Quarto tests only read it: last, so that no worker waits for it idle. Files of
# few tests that each take minutes come next, in this order (a worker left with one of them at
# the end works alone): Quarto's editions continue the rendering's first render (the Dutch
# edition), which is made by then. The rest goes largest file first (xdist's own order, turned
# off in pyproject.toml).
FIRST, LAST = "test_browser.py", "test_quarto_real.py"
LONG = ("test_warm_kernels.py", "test_quarto_editions.py", "test_chart_recipe.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """nbval runs every notebook on the 2024 data, a full compute: not for the fast tier."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
    sizes = Counter(item.path for item in items)
    items.sort(
        key=lambda i: (
            i.path.name != FIRST,
            i.path.name == LAST,
            LONG.index(i.path.name) if i.path.name in LONG else len(LONG),
            -sizes[i.path],
        )
    )
