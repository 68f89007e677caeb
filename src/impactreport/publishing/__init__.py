"""Stage 3, publishing: the generated sources, the renderers, the atomic publication, the
narrative's review, and the records of what was published (``diff``)."""
