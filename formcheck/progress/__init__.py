"""The HTML progress report over the history (``formcheck report``); not the per-video JSON report."""
