# -*- coding: utf-8 -*-
"""WinRS shells and commands of one simulated host (MS-WSMV 3.1.4: the Shell resource).

Create -> Command -> Send (stdin, End="true" on the last chunk) -> Receive until CommandState/Done
-> Signal terminate -> Delete. A command's process runs once its stdin has ended; until it is done
a Receive waits at most the request's OperationTimeout and then answers fault 2150858793, which
pywinrm and ansible's winrm plugin turn into WinRMOperationTimeoutError and retry.

A command this host does not emulate - not ``PowerShell -EncodedCommand``, or a script that reads no
stdin (packaging.reads_stdin) - gets no stdin from the client, so waiting for it would retry until the
client's read timeout (929 s seen). It is done as soon as it is created instead: exit code 1, stderr
naming what came.
"""

from __future__ import annotations

import threading
import time
import traceback
import uuid

from tests.support.winrm import packaging, results, soap


class DropConnection(Exception):
    """The host goes away: close the socket without an answer."""


class Command:
    def __init__(self, command_id, script):
        self.id = command_id
        self.script = script
        self.stdin = bytearray()
        self.ended = threading.Event()
        self.ready_at = None
        self.output = None      # (stdout, stderr, rc) once the process has run
        self.error = None       # why the command line is not ansible's bootstrap


class HostShells:
    """Every shell of one host. ``faults`` tunes how the host misbehaves (see server.HostConfig)."""

    def __init__(self, name, store, config, stats, errors):
        self.name = name
        self.store = store
        self.config = config
        self.stats = stats
        self.errors = errors
        self.shells = {}
        self.lock = threading.Lock()
        self.executions = 0

    def handle(self, req, address):
        """Answer one request: (HTTP status, SOAP body)."""
        if req.resource_uri != soap.CMD_RESOURCE:
            self.errors.append('%s: unsupported ResourceURI %s' % (self.name, req.resource_uri))
            return 500, soap.fault(req, 'Sender', 'w:DestinationUnreachable', 'unsupported resource', 2150858778)
        action = req.action
        self.stats.count_action(self.name, action or req.action_uri)
        if action == 'Create':
            # ansible's winrm plugin opens every shell with WINRS_CODEPAGE 65001 (UTF-8): anything else is a bug.
            if req.options.get('WINRS_CODEPAGE') != '65001':
                self.errors.append('%s: shell opened with codepage %s' % (self.name, req.options.get('WINRS_CODEPAGE')))
            shell_id = str(uuid.uuid4()).upper()
            with self.lock:
                self.shells[shell_id] = {}
            return 200, soap.create_response(req, shell_id, address)
        with self.lock:
            shell = self.shells.get(req.shell_id)
        if shell is None:
            return 500, soap.unknown_shell(req)
        if action == 'Command':
            command, arguments = req.command_line()
            cmd = Command(str(uuid.uuid4()).upper(), None)
            try:
                cmd.script = packaging.reads_stdin(packaging.decode_command(command, arguments))
            except packaging.UnknownPackaging as e:
                # Nothing will come on stdin: the process has already run (and failed, in _run).
                cmd.error = str(e)
                cmd.ready_at = time.monotonic() + self.config.delay_s
                cmd.ended.set()
            shell[cmd.id] = cmd
            return 200, soap.command_response(req, cmd.id)
        if action == 'Send':
            command_id, data, end = req.stdin()
            cmd = shell[command_id]
            cmd.stdin += data
            if end and not cmd.ended.is_set():   # a refused command was done when it came
                cmd.ready_at = time.monotonic() + self.config.delay_s
                cmd.ended.set()
            return 200, soap.send_response(req)
        if action == 'Receive':
            return self._receive(req, shell[req.receive_command_id()])
        if action == 'Signal':
            shell.pop(req.signal_command_id(), None)
            return 200, soap.signal_response(req)
        if action == 'Delete':
            with self.lock:
                self.shells.pop(req.shell_id, None)
            return 200, soap.delete_response(req)
        self.errors.append('%s: unsupported action %s' % (self.name, req.action_uri))
        return 500, soap.fault(req, 'Sender', 'a:ActionNotSupported', 'unsupported action', 2150858776)

    def _receive(self, req, cmd):
        deadline = time.monotonic() + req.timeout_s
        if not cmd.ended.wait(max(0.0, deadline - time.monotonic())):
            self.stats.count_timeout(self.name)
            return 500, soap.operation_timeout(req)
        wait = cmd.ready_at - time.monotonic()
        if wait > 0:
            if cmd.ready_at > deadline:
                time.sleep(max(0.0, deadline - time.monotonic()))
                self.stats.count_timeout(self.name)
                return 500, soap.operation_timeout(req)
            time.sleep(wait)
        if cmd.output is None:
            cmd.output = self._run(cmd)
        stdout, stderr, rc = cmd.output
        return 200, soap.receive_response(req, cmd.id, stdout, stderr, rc)

    def _run(self, cmd):
        with self.lock:
            self.executions += 1
            number = self.executions
        if self.config.drop_after is not None and number > self.config.drop_after:
            raise DropConnection()
        try:
            if cmd.error is not None:
                raise packaging.UnknownPackaging(cmd.error)
            call = packaging.decode_stdin(bytes(cmd.stdin))
            self.stats.count_execution(self.name, call.name, call.layout)
            return results.run(call, self.name, self.store.execute)
        except Exception as e:  # every failure is loud: recorded for the test, and on stderr with exit code 1
            message = '%s: %s: %s' % (self.name, type(e).__name__, e)
            self.errors.append(message + '\n' + traceback.format_exc())
            return b'', ('WinRM test endpoint: ' + message).encode(), 1
