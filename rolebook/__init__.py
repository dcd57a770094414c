"""rolebook: handbook-as-code for HR job descriptions."""

__version__ = "0.1.0"
