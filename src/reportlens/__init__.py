"""报告透视 reportlens: read Chinese official work reports, find their structure, analyse their words."""

import logging

__version__ = "0.1.0"

# The package logs in English for whoever runs it (the app's server log, see ui.frame); a user reads Chinese
# messages only. Without a handler of their own, Python would print warnings on the command line's stderr.
logging.getLogger(__name__).addHandler(logging.NullHandler())
