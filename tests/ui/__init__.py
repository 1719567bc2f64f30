"""UI tests: they drive the real windows offscreen."""
