"""报告透视 reportlens: read Chinese official work reports, find their structure, analyse their words."""

__version__ = "0.1.0"
