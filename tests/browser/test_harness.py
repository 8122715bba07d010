"""The harness itself: server, kernel, widget rendering, comm round trip, DOM assertions, screenshots.

A plain ipywidgets notebook written into the served folder: if this fails, the view tests cannot
mean anything (the widget manager did not load, the kernel did not start, the comm is broken).
"""

SMOKE = [
    "import ipywidgets as w\n"
    "chips = w.HTML('<div class=\"kl-smoke\" data-n=\"0\"></div>')\n"
    "def draw(n):\n"
    "    chips.value = '<div class=\"kl-smoke\" data-n=\"%d\">' % n + ''.join(\n"
    "        '<span class=\"chip\" data-i=\"%d\">pod-%d</span>' % (i, i) for i in range(n)) + '</div>'\n"
    "draw(3)\n"
    "step = w.Button(description='Step', tooltip='Step')\n"
    "step.on_click(lambda _b: draw(int(chips.value.split('data-n=\"')[1].split('\"')[0]) + 2))\n"
    "w.VBox([step, chips])",
    "print('cells done')",
]


def test_a_widget_renders_and_a_click_reaches_the_kernel(driver, lab):
    panel = driver.open(lab.write_notebook("harness/smoke.ipynb", SMOKE))
    driver.run_all()
    assert driver.errors() == [] and driver.not_run() == []
    assert panel.locator(".jp-OutputArea-output", has_text="cells done").count() == 1
    view = panel.locator(".kl-smoke")
    view.wait_for()
    assert view.get_attribute("data-n") == "3"
    assert view.locator(".chip").all_inner_texts() == ["pod-0", "pod-1", "pod-2"]
    driver.shot(view, "harness-before")

    panel.get_by_role("button", name="Step").click()  # browser -> kernel -> browser
    panel.locator(".kl-smoke[data-n='5']").wait_for()
    assert panel.locator(".kl-smoke .chip").count() == 5
    driver.shot(panel.locator(".kl-smoke"), "harness-after")
