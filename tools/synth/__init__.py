"""Synthetic sample clips with exact ground truth (see tools/synth/README.md)."""
