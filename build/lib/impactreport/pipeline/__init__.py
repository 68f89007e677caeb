"""Stage 4, the pipeline that runs the stages: notebooks, cache, build, Quarto's hooks."""
