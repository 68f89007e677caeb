"""What the tests share beside their fixtures: the projects they build, a real Quarto, the
order they run in."""
