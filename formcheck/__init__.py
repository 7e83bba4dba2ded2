"""formcheck: pose-based coaching for physical-therapy home exercises."""

__version__ = "0.1.0"
