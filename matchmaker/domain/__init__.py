"""The domain core: plain Python that never imports Flask (a test checks this)."""
