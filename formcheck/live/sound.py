"""Spoken or beeped cues, offline and optional: speech, else tones, else silence.

A patient lying on the floor cannot always read the screen, so reps, finished
holds and sets, and the most important fault are also heard. Everything here
is best-effort: a machine without speech, audio player or sound card coaches
silently, and a cue never delays the video loop (it is played on a worker
thread, and when cues pile up the oldest is dropped: stale news is no news).
"""

from __future__ import annotations

import importlib
import io
import os
import shutil
import subprocess
import sys
import threading
import wave
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

SAMPLE_RATE = 22050
PLAY_TIMEOUT_S = 15.0


class CueKind(StrEnum):
    REP = "rep"
    HOLD_DONE = "hold_done"
    SET_DONE = "set_done"
    FAULT = "fault"
    INFO = "info"


@dataclass(frozen=True)
class Cue:
    kind: CueKind
    text: str


class Backend(Protocol):
    name: str

    def play(self, cue: Cue) -> None:
        """Play one cue to the end (called on the worker thread; may block)."""
        ...


class SilentBackend:
    name = "silent"

    def play(self, cue: Cue) -> None:
        pass


class EspeakBackend:
    """espeak-ng (Debian package ``espeak-ng``): offline speech through its own audio output."""

    name = "espeak-ng"

    def __init__(self, binary: str, speed_wpm: int = 150) -> None:
        self.binary = binary
        self.speed_wpm = speed_wpm

    def play(self, cue: Cue) -> None:
        subprocess.run(
            [self.binary, "-s", str(self.speed_wpm), "--", cue.text],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=PLAY_TIMEOUT_S,
            check=False,
        )


Samples = NDArray[np.int16]
Player = Callable[[Samples, int], None]

# (frequency Hz, seconds) notes per cue: short and soft, distinct by shape.
_TONES: dict[CueKind, tuple[tuple[float, float], ...]] = {
    CueKind.REP: ((880.0, 0.12),),
    CueKind.HOLD_DONE: ((660.0, 0.15), (880.0, 0.2)),
    CueKind.SET_DONE: ((523.0, 0.15), (659.0, 0.15), (784.0, 0.3)),
    CueKind.FAULT: ((330.0, 0.25),),
    CueKind.INFO: ((587.0, 0.1),),
}


def tone(kind: CueKind, rate: int = SAMPLE_RATE, volume: float = 0.3) -> Samples:
    """A cue's notes as 16-bit mono samples, each faded in and out (no clicks)."""
    parts = []
    for freq, dur in _TONES[kind]:
        t = np.arange(int(rate * dur)) / rate
        note = np.sin(2 * np.pi * freq * t)
        fade = np.minimum(1.0, np.minimum(t, dur - t) / 0.01)
        parts.append(note * fade)
        parts.append(np.zeros(int(rate * 0.04)))
    return (np.concatenate(parts) * volume * 32767).astype(np.int16)


def wav_bytes(samples: Samples, rate: int) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return buf.getvalue()


class ToneBackend:
    """Generated beeps through whatever player exists (no speech engine needed)."""

    name = "tones"

    def __init__(self, player: Player) -> None:
        self.player = player

    def play(self, cue: Cue) -> None:
        self.player(tone(cue.kind), SAMPLE_RATE)


def _sounddevice_player() -> Player | None:
    """PortAudio via ``sounddevice`` (installed with mediapipe), if it finds an output."""
    try:
        sd = importlib.import_module("sounddevice")  # optional, untyped
    except (ImportError, OSError):  # OSError: the PortAudio library itself is missing
        return None
    try:
        sd.query_devices(kind="output")
    except Exception:  # no output device: sounddevice raises its own PortAudioError/ValueError
        return None

    def play(samples: Samples, rate: int) -> None:
        sd.play(samples, rate, blocking=True)

    return play


def _aplay_player(binary: str) -> Player:
    def play(samples: Samples, rate: int) -> None:
        subprocess.run(
            [binary, "-q", "-"],
            input=wav_bytes(samples, rate),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=PLAY_TIMEOUT_S,
            check=False,
        )

    return play


def audio_output_available() -> bool:
    """Is there somewhere for sound to go? (Linux: a sound card or a sound server.)

    espeak-ng and aplay exit 0 even when they had no device to play on, so
    asking first is the only way to know cues would be heard.
    """
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and any((Path(runtime) / p).exists() for p in ("pulse/native", "pipewire-0")):
        return True
    return any(Path("/dev/snd").glob("pcmC*D*p"))


def choose_backend(
    *,
    which: Callable[[str], str | None] = shutil.which,
    has_audio: Callable[[], bool] = audio_output_available,
    tone_player: Callable[[], Player | None] | None = None,
) -> Backend:
    """espeak-ng if installed, else tones through a player, else silent; silent without audio."""
    if not has_audio():
        return SilentBackend()
    espeak = which("espeak-ng") or which("espeak")
    if espeak:
        return EspeakBackend(espeak)
    player = (tone_player or _sounddevice_player)()
    if player is None:
        aplay = which("aplay")
        player = _aplay_player(aplay) if aplay else None
    return ToneBackend(player) if player is not None else SilentBackend()


def sound_notice(backend: Backend, which: Callable[[str], str | None] = shutil.which) -> str | None:
    """What to tell the user once when cues will not be spoken, and how to change that."""
    if backend.name == "espeak-ng":
        return None
    fix = "install a speech engine to hear them (Debian/Ubuntu: sudo apt install espeak-ng)"
    if backend.name == "tones":
        return f"no speech engine found: reps and holds are marked by tones only; {fix}"
    speech = which("espeak-ng") or which("espeak")
    if not audio_output_available():
        missing = "no sound output found (no sound card or sound server)"
        if not speech:
            missing += " and no speech engine (sudo apt install espeak-ng)"
        return f"{missing}: spoken cues are off, the screen shows everything"
    return f"no speech engine and no audio player found: spoken cues are off; {fix}"


class CuePlayer:
    """Plays cues on a worker thread; ``say`` returns at once whatever the backend does."""

    def __init__(self, backend: Backend | None = None, *, muted: bool = False, max_pending: int = 2) -> None:
        self.backend: Backend = backend if backend is not None else SilentBackend()
        self.muted = muted
        self.problem = ""  # why sound stopped working, if it did
        self._pending: deque[Cue] = deque(maxlen=max_pending)  # full: the oldest is dropped
        self._cond = threading.Condition()
        self._closing = False
        self._thread: threading.Thread | None = None
        self.played: deque[Cue] = deque(maxlen=50)  # the latest cues actually played (for tests)

    @property
    def name(self) -> str:
        return self.backend.name

    def say(self, cue: Cue) -> bool:
        """Queue a cue; False when muted or silent (nothing will be heard)."""
        if self.muted or isinstance(self.backend, SilentBackend):
            return False
        with self._cond:
            if self._closing:
                return False
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="formcheck-sound", daemon=True)
                self._thread.start()
            self._pending.append(cue)
            self._cond.notify()
        return True

    def toggle_mute(self) -> bool:
        """Returns the new state (True = muted); muting also drops what is queued."""
        self.muted = not self.muted
        if self.muted:
            with self._cond:
                self._pending.clear()
        return self.muted

    def close(self, timeout: float = 1.0) -> None:
        """Stop after the cue being played (at most ``timeout`` s); queued cues are dropped."""
        with self._cond:
            self._closing = True
            self._pending.clear()
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout)

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closing:
                    self._cond.wait()
                if self._closing:
                    return
                cue = self._pending.popleft()
            try:
                self.backend.play(cue)
                self.played.append(cue)
            except Exception as exc:  # a broken audio stack must not end the session
                self.problem = f"sound disabled: {exc}"
                self.backend = SilentBackend()
                return
