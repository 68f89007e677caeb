"""Stage 5, the commands beside the build: a new project or year, the year's check, the live
preview, the origin of one figure."""
