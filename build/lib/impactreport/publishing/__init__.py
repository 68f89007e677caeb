"""Stage 3, publishing: the generated sources, the renderers and the atomic publication."""
