"""depcheck: a dependency-consistency linter for Python projects."""

__version__ = "0.1.0"
