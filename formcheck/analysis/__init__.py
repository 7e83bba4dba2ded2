"""Per-frame analysis: from poses to counts, holds, faults and feedback."""

from formcheck.analysis.analyzer import Analyzer
from formcheck.analysis.results import AnalysisSummary, FaultEvent, FrameResult
from formcheck.analysis.smoothing import PoseSmoother

__all__ = ["AnalysisSummary", "Analyzer", "FaultEvent", "FrameResult", "PoseSmoother"]
