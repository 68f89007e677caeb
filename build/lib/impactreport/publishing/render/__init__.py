"""Render the report's Quarto sources with pandoc and typst, for machines without Quarto.

Only a documented subset of Quarto is supported (see ``subset.py``); within it the output follows
Quarto's semantics: includes, var/meta shortcodes, profiles, numbered figures and tables.
"""

from impactreport.config import load_config, profile_group
from impactreport.publishing.render.project import RenderedFiles, render_project
from impactreport.publishing.render.subset import Violation, check_subset

__all__ = [
    "RenderedFiles",
    "Violation",
    "check_subset",
    "load_config",
    "profile_group",
    "render_project",
]
