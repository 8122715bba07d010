"""A busybox ``ash``-like shell for container models, running on the simulated clock.

Public API (the contract of issue 4):
- :func:`run_shell` ``(ctx, argv_or_script, *, as_pid1)`` -> :class:`ShellProcess`: the
  container's main process (``["sleep", "3600"]``, ``["sh", "-c", "..."]``);
- :func:`exec_command` ``(ctx, argv, stdin=None, timeout=None)`` -> ``ExecResult``: one-shot
  commands (exec probes, hooks, ``kubectl exec``), computed at once on a private timeline;
- :class:`Machine`: the state the processes of one container instance share; models create one
  and pass it to both so that ``ps``, ``kill 1`` and file-size caps see the same container.

Modules: :mod:`.parser` (lexer/parser), :mod:`.interp` (evaluation, expansion, redirections),
:mod:`.builtins` (ash builtins), :mod:`.applets` (busybox applets, curl), :mod:`.process`
(tasks, PID 1 and signals, one-shot execs), :mod:`.io` (output sinks and caps),
:mod:`.arith` (``$(( ))``).
"""
from .applets import APPLETS, BUSYBOX_APPLETS, DEBIAN_PROGRAMS
from .interp import STEP_LIMIT
from .parser import ShellSyntaxError, parse
from .process import (MAX_EXEC_SECONDS, Machine, ShellProcess, exec_command, exec_error_message,
                      run_shell, start_error_message)

__all__ = ["APPLETS", "BUSYBOX_APPLETS", "DEBIAN_PROGRAMS", "MAX_EXEC_SECONDS", "Machine", "STEP_LIMIT",
           "ShellProcess", "ShellSyntaxError", "exec_command", "exec_error_message", "parse",
           "run_shell", "start_error_message"]
