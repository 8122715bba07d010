"""The Go tabwriter port against tables and describe pages printed by the real kubectl."""
from labsim.kubectl.printers.tabwriter import DESCRIBE_SETTINGS, GET_SETTINGS, TabWriter, align


def test_get_table_with_empty_trailing_label_cells_keeps_padding():
    rows = [
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "RUN", "APP"],
        ["crasher", "0/1", "CrashLoopBackOff", "12 (3m29s ago)", "121m", "", ""],
        ["db", "1/1", "Running", "2 (2m29s ago)", "2m49s", "db", ""],
    ]
    text = "".join("\t".join(r) + "\n" for r in rows)
    assert align(text, **GET_SETTINGS) == (
        "NAME      READY   STATUS             RESTARTS         AGE     RUN   APP\n"
        "crasher   0/1     CrashLoopBackOff   12 (3m29s ago)   121m          \n"
        "db        1/1     Running            2 (2m29s ago)    2m49s   db    \n"
    )


def test_min_width_six_on_narrow_columns():
    assert align("N\tX\nweb\tnode-1\n", **GET_SETTINGS) == "N     X\nweb   node-1\n"


def test_describe_blocks_end_at_lines_without_tabs():
    text = ("Name:\tdb\nNamespace:\tdefault\nContainers:\n  db:\n    Image:\tmongo\n"
            "    Restart Count:\t2\nQoS Class:\tBestEffort\n")
    assert align(text, **DESCRIBE_SETTINGS) == (
        "Name:       db\n"
        "Namespace:  default\n"
        "Containers:\n"
        "  db:\n"
        "    Image:          mongo\n"
        "    Restart Count:  2\n"
        # a block runs over consecutive lines with a cell in the column, whatever their
        # indentation: this is why describe aligns "QoS Class:" with the container fields
        "QoS Class:          BestEffort\n"
    )


def test_remembered_widths_only_grow_during_a_watch():
    tw = TabWriter(remember_widths=True, **GET_SETTINGS)
    tw.write("NAME\tREADY\tSTATUS\tRESTARTS\tAGE\ndb\t1/1\tRunning\t2 (2m11s ago)\t2m31s\n")
    first = tw.flush()
    tw.write("newpod\t0/1\tPending\t0\t59s\n")
    second = tw.flush()
    tw.write("newpod\t0/1\tContainerCreating\t0\t59s\n")
    third = tw.flush()
    tw.write("newpod\t1/1\tRunning\t0\t60s\n")
    fourth = tw.flush()
    assert first == ("NAME   READY   STATUS    RESTARTS        AGE\n"
                     "db     1/1     Running   2 (2m11s ago)   2m31s\n")
    assert second == "newpod   0/1     Pending   0               59s\n"
    assert third == "newpod   0/1     ContainerCreating   0               59s\n"
    assert fourth == "newpod   1/1     Running             0               60s\n"
