import threading
import time

from helpers.ui.player import Player
from waiting import stays, wait_until


class Counter:
    def __init__(self, fail_at=None, delay=0.0):
        self.value, self.drawn, self.fail_at, self.delay = 0, [], fail_at, delay

    def step(self):
        time.sleep(self.delay)  # a step that takes time, like an epoch: lets a test pause in the middle
        if self.value == self.fail_at:
            raise RuntimeError(f"step {self.value} failed")
        self.value += 1

    def redraw(self):
        self.drawn.append(self.value)

    def reset(self):
        self.value = 0


def test_step_button_steps_once_and_redraws():
    counter = Counter()
    player = Player(counter.step, counter.redraw, counter.reset)
    player.step_button.click()
    player.step_button.click()
    assert counter.value == 2 and counter.drawn == [1, 2] and player.steps == 2


def test_run_is_synchronous():
    counter = Counter()
    Player(counter.step, counter.redraw).run(5)
    assert counter.value == 5 and counter.drawn == [1, 2, 3, 4, 5]


def test_play_in_the_background_stops_at_max_steps_and_frees_the_caller():
    counter = Counter(delay=0.01)
    player = Player(counter.step, counter.redraw, max_steps=20, background=True)
    player.play_button.click()
    assert player.playing and player.play_button.description == "Pause"
    assert player.step_button.disabled
    assert player.wait(timeout=10)
    assert counter.value == 20 and not player.playing
    assert player.play_button.description == "Play" and not player.step_button.disabled


def test_pause_stops_a_background_play_between_steps():
    counter = Counter(delay=0.02)
    player = Player(counter.step, counter.redraw, max_steps=10_000, background=True)
    player.play_button.click()
    wait_until(lambda: counter.value >= 3, 30, "three steps of the background play")
    player.play_button.click()  # Pause
    assert player.wait(timeout=5)
    stopped_at = counter.value
    assert 0 < stopped_at < 10_000
    stays(lambda: counter.value == stopped_at, 0.2, "no step after the pause")
    assert counter.drawn[-1] == stopped_at


def test_reset_pauses_first_then_resets_and_redraws():
    counter = Counter(delay=0.01)
    player = Player(counter.step, counter.redraw, counter.reset, max_steps=10_000, background=True)
    player.play()
    wait_until(lambda: counter.value > 0, 30, "a first step of the background play")
    player.reset_button.click()
    assert not player.playing and counter.value == 0 and counter.drawn[-1] == 0
    assert player.steps == 0


def test_restart_plays_on_showing_pause_throughout_or_stays_idle():
    counter = Counter(delay=0.01)
    player = Player(counter.step, counter.redraw, counter.reset, max_steps=10_000, background=True)
    player.restart()  # idle: a reset, and idle again
    assert counter.value == 0 and not player.playing and player.play_button.description == "Play"
    player.play()
    wait_until(lambda: counter.value >= 5, 30, "five steps of the background play")
    labels = []
    player.play_button.observe(lambda change: labels.append(change["new"]), names="description")
    player.restart()
    assert player.playing and labels == [], labels
    player.pause()
    assert player.wait(timeout=30) and labels == ["Play"]
    assert player.step_button.disabled is False


def test_play_called_from_code_runs_before_returning():
    counter = Counter()
    player = Player(counter.step, counter.redraw, max_steps=7)  # code, not a browser click
    player.play_button.click()
    assert counter.value == 7 and not player.playing
    player.play(steps=3)
    assert counter.value == 10


def test_errors_in_a_background_play_are_shown():
    counter = Counter(fail_at=3)
    player = Player(counter.step, counter.redraw, max_steps=10, background=True)
    player.play()
    assert player.wait(timeout=5)
    assert isinstance(player.last_error, RuntimeError)
    assert "step 3 failed" in player.status.value
    assert player.play_button.description == "Play"


def test_steps_never_overlap():
    inside = []
    overlap = []

    def step():
        if inside:
            overlap.append(True)
        inside.append(True)
        time.sleep(0.005)  # a step that takes time, so that an overlapping call would be caught inside
        inside.pop()

    player = Player(step, max_steps=30, background=True)
    player.play()
    others = [threading.Thread(target=player.step) for _ in range(5)]
    for thread in others:
        thread.start()
    for thread in others:
        thread.join()
    player.wait(timeout=10)
    assert not overlap and player.steps == 35


def test_playing_a_second_panel_pauses_the_first():
    first, second = Counter(delay=0.01), Counter(delay=0.01)
    one = Player(first.step, max_steps=10_000, background=True)
    two = Player(second.step, max_steps=5, background=True)
    one.play()
    wait_until(lambda: first.value > 0, 30, "the first panel to be playing")
    two.play()  # the kernel's one queue of runs: a new run stops the current one
    assert one.wait(timeout=5) and two.wait(timeout=5)
    assert 0 < first.value < 10_000 and second.value == 5


class PausesRecorded(threading.Event):
    """A stop event that records the pauses asked of it and returns at once (no time spent waiting)."""

    asked = []

    def wait(self, timeout=None):
        PausesRecorded.asked.append(timeout)
        return self.is_set()


def test_an_interval_slider_sets_the_pause_between_steps(monkeypatch):
    counter = Counter()
    player = Player(counter.step, interval=0.5, interval_control=True, max_steps=3, background=False)
    assert player.interval_slider.value == 0.5 and player.interval_slider.continuous_update is False
    monkeypatch.setattr(threading, "Event", PausesRecorded)  # the run's stop event, made by play()
    monkeypatch.setattr(PausesRecorded, "asked", [])
    player.interval_slider.value = 0.3
    assert player.interval == 0.3
    player.play()
    assert counter.value == 3 and PausesRecorded.asked == [0.3, 0.3, 0.3]
    player.interval_slider.value = 0.0
    player.play()
    assert counter.value == 6 and PausesRecorded.asked == [0.3, 0.3, 0.3], "no pause at 0 s"


def test_a_click_from_the_browser_plays_in_the_background(monkeypatch):
    from helpers.ui import runs

    monkeypatch.setattr(runs, "triggered_by_frontend", lambda: True)
    counter = Counter(delay=0.01)
    player = Player(counter.step, max_steps=10_000)  # background=None: decided per click
    player.play_button.click()
    assert player.playing  # returned while still playing
    player.play_button.click()
    assert player.wait(timeout=5) and counter.value < 10_000


def test_a_late_end_of_an_old_play_leaves_a_newer_play_running():
    """An old Play's end arriving after a new Play started must not reset the player (Pause would restart it)."""
    counter = Counter(delay=0.01)
    player = Player(counter.step, max_steps=10_000, background=True)
    player.play()
    old = player._job
    player.pause()
    assert player.wait(timeout=5)
    player.play()
    old.on_cancel()  # the old job's end, late
    assert player.playing and player.play_button.description == "Pause"
    player.toggle()  # what the Pause button does
    assert player.wait(timeout=5) and not player.playing
