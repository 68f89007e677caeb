"""The accreditation conditions, checked before any kernel starts.

They follow from the declared facts alone, so they are evaluated once, here: one not met and
not explained stops the build, and the table of the conditions as checked goes to the results.
"""

from __future__ import annotations

from impactreport.paths import Project


def check_conditions(project: Project, year: int):
    """The conditions as checked, evaluated once, here: they follow from the declared facts
    alone. One not met and unexplained stops the build before any kernel starts."""
    from impactreport.analysis import conditions
    from impactreport.inputs import door
    from impactreport.inputs.load import AdmittedReference

    admitted = door.read(project, year)
    reference = AdmittedReference(project).conditions
    results = conditions.evaluate(reference, admitted.facts, admitted.explanations)
    conditions.check(results, year)
    return conditions.checked_table(reference, results)
