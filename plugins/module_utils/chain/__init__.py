# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Phase 3, the intermediate migration: the files an operator supplies (inputs), the plan that turns a
host's certificate stores into the right ones (plan: remove the old "SSL CA 3 - 17", add the new one, the
cross certificate and the ARL, never breaking a certificate still in use), and the fleet summary.

**Where chain migration is decided: _plan.py** (its docstring lists the rules). Must not touch a host:
payloads read the stores and apply the ordered steps this package decides."""
