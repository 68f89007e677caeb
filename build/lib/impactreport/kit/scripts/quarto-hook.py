"""Quarto's pre-render and post-render step: ``quarto-hook.py pre-render|post-render``.

Quarto runs a ``.py`` script with ``$QUARTO_PYTHON``, else ``python3``: an interpreter that may
not have the project installed. The step runs with the project's ``.venv`` when there is one,
else with this interpreter if it has the package. Standard library only: any Python 3 starts it.
"""

import importlib.util
import os
import sys
from pathlib import Path

STEPS = ("pre-render", "post-render")
VENV = Path(__file__).resolve().parents[1] / ".venv"
VENV_PYTHONS = (VENV / "bin" / "python", VENV / "Scripts" / "python.exe")


def interpreter() -> str:
    python = next((p for p in VENV_PYTHONS if p.is_file()), None)
    if python is not None and Path(sys.prefix).resolve() != VENV.resolve():
        return str(python)
    if importlib.util.find_spec("impactreport") is not None:
        return sys.executable
    sys.exit(
        f"error: {sys.executable} has no impactreport and there is no {VENV}: create it with "
        "`python3 -m venv .venv` and install impactreport in it"
    )


def main() -> None:
    step = sys.argv[1] if len(sys.argv) == 2 else ""
    if step not in STEPS:
        sys.exit(f"error: usage: quarto-hook.py {'|'.join(STEPS)}")
    python = interpreter()
    os.execv(python, [python, "-m", "impactreport", f"quarto-{step}"])


if __name__ == "__main__":
    main()
