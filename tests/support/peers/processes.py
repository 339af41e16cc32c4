# -*- coding: utf-8 -*-
"""Stopping the real peers (named, nginx) the tests start: politely, then firmly, and close their log."""

from __future__ import annotations

import subprocess


def stop_process(process, log=None):
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    if log:
        log.close()
