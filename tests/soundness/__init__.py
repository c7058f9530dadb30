"""Soundness suites: symequi's values against independent references (mpmath at 50 digits)."""
