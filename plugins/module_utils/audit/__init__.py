# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Phase 5, audit: what each endpoint actually serves (the TLS chain as sent), the judgement of that chain
(findings and a verdict), the endpoint lists built from the inventory, and the fleet report (HTML, CSV,
JSON).

Decides what is wrong with what a server serves. Must not log in to any host: it only connects as a
client would."""
