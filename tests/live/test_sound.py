"""Sound cues: best-effort, never blocking, silent when there is nowhere to play them."""

from __future__ import annotations

import threading
import time

import numpy as np

from formcheck.live.sound import (
    Cue,
    CueKind,
    CuePlayer,
    EspeakBackend,
    SilentBackend,
    ToneBackend,
    choose_backend,
    tone,
    wav_bytes,
)

REP = Cue(CueKind.REP, "3")


def test_no_audio_output_means_silent_even_with_espeak() -> None:
    backend = choose_backend(which=lambda name: f"/usr/bin/{name}", has_audio=lambda: False)
    assert isinstance(backend, SilentBackend)


def test_nothing_to_play_with_means_silent() -> None:
    backend = choose_backend(which=lambda name: None, has_audio=lambda: True, tone_player=lambda: None)
    assert isinstance(backend, SilentBackend)


def test_espeak_is_preferred_when_installed() -> None:
    backend = choose_backend(
        which=lambda name: "/usr/bin/espeak-ng" if name == "espeak-ng" else None, has_audio=lambda: True
    )
    assert isinstance(backend, EspeakBackend)


def test_tones_without_a_speech_engine() -> None:
    played: list[int] = []
    backend = choose_backend(
        which=lambda name: None, has_audio=lambda: True, tone_player=lambda: lambda s, rate: played.append(len(s))
    )
    assert isinstance(backend, ToneBackend)
    backend.play(REP)
    assert played and played[0] > 0


def test_silent_player_accepts_cues_and_does_nothing() -> None:
    player = CuePlayer(SilentBackend())
    assert player.say(REP) is False
    assert player.name == "silent"
    player.close()


def test_tones_are_short_soft_and_distinct() -> None:
    rep, fault = tone(CueKind.REP), tone(CueKind.FAULT)
    assert rep.dtype == np.int16 and fault.dtype == np.int16
    assert len(rep) < len(tone(CueKind.SET_DONE))
    assert np.abs(rep).max() < 0.5 * 32767
    assert abs(int(rep[0])) < 500  # faded in: no click
    assert wav_bytes(rep, 22050)[:4] == b"RIFF"


class SlowBackend:
    """A backend that takes a while, like speech does."""

    name = "slow"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = threading.Event()
        self.heard: list[str] = []

    def play(self, cue: Cue) -> None:
        self.started.set()
        time.sleep(self.seconds)
        self.heard.append(cue.text)


def test_say_never_blocks_and_drops_the_oldest_backlog() -> None:
    backend = SlowBackend(0.3)
    player = CuePlayer(backend, max_pending=2)
    t0 = time.monotonic()
    assert player.say(Cue(CueKind.REP, "1"))
    backend.started.wait(1.0)
    for n in "2345":
        player.say(Cue(CueKind.REP, n))
    assert time.monotonic() - t0 < 0.25  # the loop was never held up by the slow backend
    deadline = time.monotonic() + 3.0
    while len(backend.heard) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert backend.heard == ["1", "4", "5"]  # stale cues were dropped, the newest kept
    player.close()


def test_mute_toggles_and_silences() -> None:
    backend = SlowBackend(0.0)
    player = CuePlayer(backend, muted=True)
    assert player.say(REP) is False
    assert player.toggle_mute() is False
    assert player.say(REP) is True
    player.close()


def test_a_failing_backend_turns_silent_instead_of_crashing() -> None:
    class Broken:
        name = "broken"

        def play(self, cue: Cue) -> None:
            raise OSError("no such device")

    player = CuePlayer(Broken())
    player.say(REP)
    deadline = time.monotonic() + 2.0
    while not player.problem and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "no such device" in player.problem
    assert player.say(REP) is False
    player.close()


def test_a_missing_speech_engine_is_said_once_with_the_fix() -> None:
    from formcheck.live.sound import sound_notice

    assert sound_notice(EspeakBackend("/usr/bin/espeak-ng")) is None
    tones = sound_notice(ToneBackend(lambda s, rate: None))
    assert tones is not None and "apt install espeak-ng" in tones and "tones" in tones
    silent = sound_notice(SilentBackend(), which=lambda name: None)
    assert silent is not None and "off" in silent and "apt install espeak-ng" in silent
