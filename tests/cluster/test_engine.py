"""The cluster's engine is an optional extra: without it, --cluster is one line (no Dask needed to run this)."""

from __future__ import annotations

import sys

import pytest

from formcheck.cli import main


def test_without_dask_cluster_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    assert main(["analyze", "a.mp4", "--exercise", "bridge", "--cluster", "local"]) == 2
    assert capsys.readouterr().err == (
        'formcheck: error: --cluster needs Dask distributed: pip install "formcheck[cluster]"\n'
    )
