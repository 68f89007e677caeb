"""Stage 2, what the notebook kernels import (indicators, charts, the board's check), and the
results package compute hands publishing."""
