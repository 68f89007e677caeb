"""Stage 1, the data door: reading the year's files and the reference data, validated."""
