"""H.264 in MP4 through PyAV's libx264: the one video format every browser and phone plays.

OpenCV's wheels can only write MPEG-4 Part 2 (``mp4v``), which no browser and
few phones play; PyAV's wheels carry libx264. Each setting has its reason
(benchmarks/bench_encode.py and bench_pipeline.py measure them; the numbers
are for 640x480 annotated frames on the 2-core machine of benchmarks/README.md):

``preset=ultrafast``
    0.65 ms of CPU per frame, what OpenCV's mp4v writer took (0.67 ms), for a
    file 0.74x that size at as good a picture (PSNR 39.1 vs 38.3 dB). The pose
    model needs all of a core on a two-core machine and every preset above this
    one takes from it: ``superfast`` 1.15 ms (46 kB/s against 97), ``veryfast``
    1.39-1.64 ms (20 kB/s), and beside the model ``veryfast`` measurably slowed
    the analysis (0.61x the bare model loop against mp4v's 0.86x in one run).
    Ultrafast also writes Constrained Baseline (no B-frames, no CABAC), the
    profile every H.264 decoder takes.
``threads=1``
    x264 would otherwise start 1.5 threads per core plus a lookahead thread,
    each holding frames in flight, for the same total CPU (1.72 ms vs 1.64 at
    veryfast). One encoding thread (the sink's worker) bounds what encoding can
    take from the model and keeps its whole cost on the thread the benchmark times.
``crf=23``
    x264's own default: constant quality, so a still person costs few bytes and
    overlay text stays legible; no bitrate to guess per resolution.
``yuv420p``
    4:2:0 at 8 bits: what browsers' and phones' hardware decoders take (4:4:4 or
    10-bit streams are refused by most of them). 4:2:0 needs an even width and
    height, so an odd-sized picture gains one row or column, copied from its edge.
``movflags=+faststart``
    The index (``moov``) goes before the frames (``mdat``), so a browser starts
    playing before it has the whole file. It costs one rewrite of the file when
    it is closed.
colour
    OpenCV's BGR -> I420 conversion is BT.601 at video (limited) range, the
    fastest conversion at hand (half of swscale's time); the stream says so, so
    players convert back with the same matrix at any resolution.
"""

from __future__ import annotations

import contextlib
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import cv2
import numpy as np
from av.container import OutputContainer
from av.packet import Packet
from av.video.stream import VideoStream
from numpy.typing import NDArray

Image = NDArray[np.uint8]

PIX_FMT = "yuv420p"
X264_OPTIONS = {"preset": "ultrafast", "crf": "23"}
ENCODER_THREADS = 1
TICKS_PER_S = 90_000  # the MPEG clock: whole ticks for 24, 25, 30, 50, 60 and 29.97 fps
# AVCOL_SPC_SMPTE170M (BT.601) and AVCOL_RANGE_MPEG (16-235), what cv2.COLOR_BGR2YUV_I420 produces.
_COLORSPACE_BT601, _RANGE_LIMITED = 6, 1


def even_size(size: tuple[int, int]) -> tuple[int, int]:
    """The (width, height) a 4:2:0 stream can hold: odd sides grow by one."""
    w, h = size
    return w + w % 2, h + h % 2


class H264Writer:
    """Frames (BGR, as OpenCV decodes them) to an H.264 MP4 at ``path``.

    Each frame is placed in time either at the nominal rate (``write(image)``:
    frame n at n / fps) or at its own timestamp (``write(image, t_ms)``, times
    from the first frame), so a variable-frame-rate source plays back in real
    time. Not thread-safe: one thread writes and closes.
    """

    def __init__(self, path: str | Path, fps: float, size: tuple[int, int]) -> None:
        self.path = Path(path)
        self.size = size
        self._padded = even_size(size)
        self._period_ticks = TICKS_PER_S / fps
        self.path.open("wb").close()  # FFmpeg opens the file at the first frame: fail here instead
        self._container: OutputContainer = av.open(
            str(self.path), "w", format="mp4", options={"movflags": "+faststart"}
        )
        try:
            stream: VideoStream = self._container.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001))
            stream.width, stream.height = self._padded
            stream.pix_fmt = PIX_FMT
            ctx = stream.codec_context
            ctx.time_base = Fraction(1, TICKS_PER_S)
            ctx.thread_count = ENCODER_THREADS
            ctx.colorspace, ctx.color_range = _COLORSPACE_BT601, _RANGE_LIMITED
            stream.options = dict(X264_OPTIONS)
        except BaseException:
            self.discard()
            raise
        self._stream = stream
        self._frames = 0
        self._t0_ms: float | None = None
        self._last_pts = -1
        self._first_dts: int | None = None

    def write(self, image: Image, t_ms: float | None = None) -> None:
        if image.shape[:2] != (self.size[1], self.size[0]):
            image = cast(Image, cv2.resize(image, self.size))
        pad_w, pad_h = self._padded[0] - self.size[0], self._padded[1] - self.size[1]
        if pad_w or pad_h:
            image = cast(Image, cv2.copyMakeBorder(image, 0, pad_h, 0, pad_w, cv2.BORDER_REPLICATE))
        i420 = cast(Image, cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420))
        frame = av.VideoFrame.from_ndarray(i420, format=PIX_FMT)
        if t_ms is None:
            pts = round(self._frames * self._period_ticks)
        else:
            if self._t0_ms is None:
                self._t0_ms = t_ms
            pts = round((t_ms - self._t0_ms) * TICKS_PER_S / 1000.0)
        pts = max(pts, self._last_pts + 1)  # strictly increasing, or the muxer refuses the frame
        frame.pts, frame.time_base = pts, Fraction(1, TICKS_PER_S)
        self._mux(self._stream.encode(frame))
        self._last_pts = pts
        self._frames += 1

    def _mux(self, packets: list[Packet[VideoStream]]) -> None:
        for packet in packets:
            if self._first_dts is None:
                self._first_dts = packet.dts
            if not packet.duration:  # x264 leaves it at 0; the muxer needs the last sample's
                packet.duration = round(self._period_ticks)
            self._container.mux(packet)

    def close(self) -> None:
        """Flush the encoder, write the index and rewrite the file (faststart); raises what the disk refused."""
        try:
            rest = self._stream.encode(None)
            last = rest[-1] if rest else None
            if last is not None and last.dts is not None:
                # An MP4 track lasts as long as its samples' durations in decoding order
                # add up to. With B-frames and uneven frame times that sum falls short of
                # the last frame shown, which players would cut off: the last sample
                # takes up the difference.
                first_dts = rest[0].dts if self._first_dts is None else self._first_dts
                end = self._last_pts + round(self._period_ticks)  # the first frame is at 0
                last.duration = max(1, end - (last.dts - (first_dts or 0)))
            self._mux(rest)
            self._container.close()
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Let go of the file whether or not it is complete (a failed or aborted run)."""
        with contextlib.suppress(Exception):
            self._container.close()
