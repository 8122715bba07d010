"""The clock toolbar (play, pause, step, speed, reset) and the time slider, as standard ipywidgets.

Accessibility: ipywidgets 8 renders a Button as ``<button title=TOOLTIP>`` whose text is its
``description`` (the accessible name a screen reader reads and playwright's
``get_by_role("button", name="Play")`` finds); it sets no ``aria-label`` attribute and offers no
trait for one, so the name comes from the text and ``title``. The Dropdown's ``<label>`` is tied to its
``<select>`` (``for=``), so the select's accessible name is "Speed". The slider's label text is
"Simulated time" (``<label class='widget-label' title='Simulated time'>``); its handle is
noUiSlider's ``[role=slider]`` with ``aria-valuenow`` = simulated seconds.
"""
from __future__ import annotations

import ipywidgets as widgets

from labsim.widgets import live

#: simulated seconds the Step button passes
STEP_SECONDS = 10


def _button(label: str, tooltip: str, icon: str) -> widgets.Button:
    # classes given at construction travel with the widget (add_class later would send a message)
    return widgets.Button(description=label, tooltip=tooltip, icon=icon, layout=widgets.Layout(width="auto"),
                          _dom_classes=("kl-btn", f"kl-btn-{label.lower()}"))


class Toolbar(widgets.HBox):
    """Play / Pause / Step / Speed / Reset for one cluster's :class:`live.LiveClock`."""

    def __init__(self, driver: live.LiveClock):
        self.driver = driver
        self.play = _button("Play", "Play", "play")
        self.pause = _button("Pause", "Pause", "pause")
        self.step = _button("Step", "Step", "step-forward")
        self.reset = _button("Reset", "Reset", "undo")
        self.speed = widgets.Dropdown(options=[(f"x{s}", s) for s in live.SPEEDS], value=driver.speed,
                                      description="Speed", tooltip="Speed",
                                      layout=widgets.Layout(width="150px"),
                                      style={"description_width": "initial"}, _dom_classes=("kl-speed",))
        self._pace = live.Pace()
        self._state = None
        self.status = widgets.HTML(self._status_html(), _dom_classes=("kl-clock-status",))
        self.play.disabled, self.pause.disabled = driver.running, not driver.running
        self.play.on_click(lambda _b: self.driver.play())
        self.pause.on_click(lambda _b: self.driver.pause())
        self.step.on_click(lambda _b: self.driver.step(STEP_SECONDS))
        self.reset.on_click(lambda _b: self.driver.reset())
        self.speed.observe(self._on_speed, names=["value"])
        self._unobserve = driver.observe(self._on_driver)
        super().__init__(children=[self.play, self.pause, self.step, self.speed, self.reset, self.status],
                         _dom_classes=("kl-toolbar",))
        self._state = (driver.running, driver.speed, id(driver.cluster))

    def _on_speed(self, change) -> None:
        if change["new"] != self.driver.speed:
            self.driver.set_speed(change["new"])

    def _on_driver(self, driver) -> None:
        # at most 10 updates a second, like the views: a change that comes sooner shows at the next
        # tick (playing) or on a trailing call on the kernel's loop
        if self._pace.wait() <= 0:
            self._sync()
            return
        loop = live.running_loop()
        if loop is not None and self._pace.scheduled is None and \
                (driver.running, driver.speed, id(driver.cluster)) != self._state:
            self._pace.scheduled = loop.call_later(self._pace.wait(), self._trailing)

    def _trailing(self) -> None:
        self._pace.scheduled = None
        if not getattr(self, "_closed", False):
            self._sync()

    def _sync(self) -> None:
        d = self.driver
        self._state = (d.running, d.speed, id(d.cluster))
        self._pace.last = live.monotonic()
        html = self._status_html()
        with self.hold_sync():
            self.play.disabled = d.running
            self.pause.disabled = not d.running
            if self.speed.value != d.speed:
                self.speed.value = d.speed
            if self.status.value != html:
                self.status.value = html

    def _status_html(self) -> str:
        # the state only (the ticking time is in each view's header and slider): a tick sends nothing
        d = self.driver
        state = "playing" if d.running else "paused"
        return (f"<span class='kl-clock' data-running='{int(d.running)}' data-speed='{d.speed}'>"
                f"{state} · x{d.speed}</span>")

    def close(self) -> None:
        if getattr(self, "_closed", False):
            return
        self._closed = True
        self._unobserve()
        if self._pace.scheduled is not None:
            self._pace.scheduled.cancel()
        self.speed.unobserve(self._on_speed, names=["value"])
        for w in (self.play, self.pause, self.step, self.reset, self.speed, self.status):
            w.close()
        super().close()


class TimeSlider(widgets.FloatSlider):
    """"Simulated time": at its right end the view is live; dragged left it shows the past."""

    def __init__(self, on_change, start: float, now: float):
        super().__init__(value=now, min=start, max=max(now, start + 1e-3), step=1.0, description="Simulated time",
                         tooltip="Simulated time", continuous_update=False, readout_format=".0f",
                         style={"description_width": "initial"}, layout=widgets.Layout(width="560px"),
                         _dom_classes=("kl-time-slider",))
        self._on_change = on_change
        self._syncing = False
        self.observe(self._changed, names=["value"])

    @property
    def live(self) -> bool:
        return self.value >= self.max - 0.5

    def follow(self, now: float) -> None:
        """Move the right end to ``now``; a live slider follows it, one looking at the past stays."""
        live_before = self.live
        self._syncing = True
        try:
            with self.hold_sync():
                self.max = max(now, self.min + 1e-3)
                if live_before:
                    self.value = self.max
        finally:
            self._syncing = False

    def _changed(self, change) -> None:
        if not self._syncing:
            self._on_change(None if self.live else float(change["new"]))

    def close(self) -> None:
        if not getattr(self, "_closed", False):
            self._closed = True
            self.unobserve(self._changed, names=["value"])
        super().close()
