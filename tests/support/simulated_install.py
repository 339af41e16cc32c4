# -*- coding: utf-8 -*-
"""simulated_fleet with the install-area payloads (stores, IIS, Exchange, PFX, retire) answered too.

    python -m tests.support.simulated_install STATE_DIR ansible-playbook-arguments...
"""

from __future__ import annotations

import sys

from tests.support.windows import certstore as fake_certstore  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import exchange as fake_exchange  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import iis as fake_iis  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import pfx as fake_pfx  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import retire as fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.simulated_fleet import main

if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
