"""The study timer (学习计时) and offline study (线下研修)."""
