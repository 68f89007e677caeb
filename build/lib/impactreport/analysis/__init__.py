"""Stage 2, what the notebook kernels import: indicators, charts, the board's check."""
