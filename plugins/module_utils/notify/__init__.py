# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Notifications (hkpost_notify): a message built from a rollout summary, the audit or the inventory, sent by
e-mail (``_email``) and to a JSON webhook (``_webhook``, payloads in ``_payloads``)."""
