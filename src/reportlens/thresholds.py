"""The similarity threshold of recurring items (反复出现的问题): its range and default, in a module that imports
nothing, so the command line can show them in its help without loading the analyses (``analysis.recurring``
uses them; the CLI and the UI take them from here through it)."""

MIN_THRESHOLD = 0.05
MAX_THRESHOLD = 0.95
DEFAULT_THRESHOLD = 0.1
