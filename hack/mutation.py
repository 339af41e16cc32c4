#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Mutation testing of the decision modules and the action plugins' decision points (``make mutation``, issues 14, 21).

A module is named relative to plugins/module_utils/ (``install/_retire``), or as ``action/NAME`` /
``plugin_utils/NAME`` for plugins/action/NAME.py and plugins/plugin_utils/NAME.py (the action plugins
and their shared controller helpers: their decisions are what the action returns or refuses).

Prints, per module, how many small behaviour-changing edits the module's fast tests catch. It is a
figure, not a gate: the exit status is 0 whatever the kill rate (non-zero only if the unmutated tests
fail, as then every figure would be meaningless).

Why a small runner and not mutmut/cosmic-ray: mutmut 3.8.1 (PyPI) was tried first. It copies the
project into ``mutants/`` following symlinks, and this repository's
``collections/ansible_collections/hkpost/ecert -> ../../..`` (how the tests import the collection,
see tests/conftest.py) points back at the root, so the copy recursed until it filled 29 GB; its
trampolines also name mutants after the file path, not the ``ansible_collections.hkpost.ecert``
module name the code is imported under. cosmic-ray needs a session database and a per-module
config and runs one test-runner subprocess per mutant (an ansible import costs ~1 s each). Here:

* the checkout is copied (``git ls-files``, the collection symlink kept as a symlink) once per worker;
* each module's mapped tests (``MODULES`` below) run once unmutated, traced by hack/mutation_lines.py: which
  test executes which line; a mutant then runs only the tests that execute its lines (quickest first), and one
  whose lines no test executes is a survivor without a run. The traced runs go ``--jobs`` at a time, a module's
  mutants start as soon as its own traced run is done, and ``--baselines DIR`` keeps each traced run for reuse
  while the module and its tests are unchanged (sha256 of their sources);
* each worker pre-imports the third-party libraries the tests import and pre-generates the test PKI's RSA keys,
  then forks one child per mutant; the child writes the mutated module into its copy and runs
  ``pytest.main`` on the chosen tests, stopping at the first failure;
* mutation operators (AST level): flip a comparison (``==``/``!=``, ``in``/``not in``, ``is``/
  ``is not``, ``<``/``>=`` ...) and shift its boundary (``<``/``<=``); drop one operand of an
  ``and``/``or`` and swap ``and``/``or``; force an ``if``/``while``/conditional-expression test to
  True and to False; drop a ``not``; negate a boolean ``return``; swap two adjacent statements when one
  is a bare call (order of side effects); change an int constant (n -> n+1) and flip ``True``/``False``;
  ``+``/``-`` swap. Strings are not mutated (messages).
* killed = the tests fail (or time out); survived = they pass. Equivalent mutants (no observable
  change) are listed in ``EQUIVALENT`` with the reason and counted apart.

Runtime (2 workers on the shared 2-core machine): ~0.3-1 s per killed mutant, a survivor as long as the tests that
run its lines; ~9,800 mutants in all, so a run of every module takes hours; one module
(``hack/mutation.py chain/_plan``, 174 mutants) about half a minute. The figure printed last is the runtime.

Usage: hack/mutation.py [--jobs 2] [--list] [--survivors] [--baselines DIR] [--tests T ...] [--only MODULE:ID ...]
       [module ...]
(e.g. chain/_plan, action/iis_binding; --only install/_retire:L59:88.true re-runs one mutant)
"""

import argparse
import ast
import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MU = 'plugins/module_utils/'
U = 'tests/unit/plugins/'

A = U + 'action/'
MI = U + 'module_utils/install/'
MR = U + 'module_utils/request/'
MP = U + 'module_utils/pki/'
MD = U + 'module_utils/dcv/'


def _path(module):
    """The file of a MODULES key, relative to the checkout."""
    if module.startswith(('action/', 'plugin_utils/')):
        return 'plugins/' + module + '.py'
    return MU + module + '.py'


# Decision module -> the fast tests that exercise it (unit tests and in-process action-plugin tests;
# never playbook runs). Only these are run for that module's mutants.
MODULES = {
    'pki/_hierarchy': [U + 'module_utils/pki/test_hierarchy.py', U + 'module_utils/chain/test_inputs.py',
                       MP + 'test_hierarchy_rules.py'],
    'pki/_issued': [U + 'module_utils/pki/test_issued.py', U + 'module_utils/install/test_install_core.py'],
    'chain/_plan': [U + 'module_utils/chain/test_plan.py', U + 'module_utils/chain/test_plan_rules.py'],
    'chain/_inputs': [U + 'module_utils/chain/test_inputs.py', U + 'action/test_hkpost_chain.py',
                      U + 'module_utils/chain/test_inputs_rules.py'],
    'request/_subject': [U + 'module_utils/request/test_subject.py', MR + 'test_subject_limits.py',
                         MR + 'test_subject_rules.py'],
    'request/_csr': [U + 'module_utils/request/test_csr.py', U + 'action/test_hkpost_csr.py', MR + 'test_csr_rules.py'],
    'dcv/_rules': [U + 'module_utils/dcv/test_rules.py', MD + 'test_dcv_rules_pinned.py'],
    'dcv/_dns': [U + 'module_utils/dcv/test_dns.py', U + 'module_utils/dcv/test_dns_edges.py',
                 U + 'module_utils/dcv/test_dns_answers.py', MD + 'test_dns_rules.py',
                 'tests/integration/dcv/test_dcv_dns_bind.py'],
    'dcv/_http': [U + 'module_utils/dcv/test_http.py', MD + 'test_http_rules.py', 'tests/integration/dcv/test_dcv_file_web.py'],
    'install/_iis_binding': [U + 'module_utils/install/test_install_core.py',
                             U + 'module_utils/install/test_iis_binding_plan.py',
                             U + 'module_utils/install/test_iis_binding_edges.py',
                             U + 'module_utils/install/test_iis_binding_fallbacks.py',
                             U + 'action/test_iis_binding.py', U + 'action/test_bad_input_iis_binding.py',
                             U + 'action/test_iis_binding_one_commit.py'],
    'install/_complete': [U + 'module_utils/install/test_complete.py', U + 'action/test_hkpost_complete_request.py'],
    'audit/_served_chain': [U + 'module_utils/audit/test_served_chain.py',
                            U + 'module_utils/audit/test_served_chain_edges.py',
                            U + 'module_utils/audit/test_served_chain_names.py',
                            U + 'module_utils/audit/test_fleet_report.py',
                            U + 'action/test_hkpost_served_chain.py',
                            U + 'action/test_bad_input_hkpost_served_chain.py',
                            U + 'module_utils/audit/test_served_chain_rules.py'],
    # issue 21: every decision module after the move, each with its own fast tests
    'install/_retire': [MI + 'test_retire_rules.py', MI + 'test_retire_policy.py', MI + 'test_exchange_host_plan.py',
                        MI + 'test_retire_acme.py', MI + 'test_retire_candidate_rules.py', A + 'test_hkpost_retire.py',
                        A + 'test_retire_blast_radius.py'],
    'install/_exchange': [MI + 'test_exchange_rules.py', MI + 'test_install_core.py', MI + 'test_exchange_host_plan.py',
                          MI + 'test_exchange_hop.py', A + 'test_exchange_cert.py',
                          A + 'test_exchange_unknown_and_check_mode.py'],
    'install/_exchange_host_plan': [MI + 'test_exchange_host_plan_rules.py', MI + 'test_exchange_host_plan.py',
                                    A + 'test_hkpost_install_exchange.py'],
    'install/_host_plan': [MI + 'test_host_plan_rules.py', A + 'test_hkpost_install.py', A + 'test_hkpost_install_exchange.py'],
    'install/_pairing': [MI + 'test_pairing_rules.py', MI + 'test_pairing.py'],
    'install/_intake': [MI + 'test_intake.py', A + 'test_hkpost_intake.py', MI + 'test_intake_rules.py',
                        MI + 'test_acme_issuer.py'],
    'install/_summary': [MI + 'test_install_summary_rules.py', MI + 'test_install_summary.py',
                         MI + 'test_install_summary_chain.py',
                         U + 'module_utils/test_dry_run.py'],
    'install/_record': [MI + 'test_record_rules.py', MI + 'test_record.py'],
    'chain/_summary': [U + 'module_utils/chain/test_chain_summary.py', U + 'module_utils/test_dry_run.py',
                       U + 'module_utils/chain/test_chain_summary_rules.py'],
    'install/_backup_selection': [MI + 'test_backup_selection_rules.py', A + 'test_hkpost_pfx.py',
                                  A + 'test_hkpost_pfx_fleet_defaults.py'],
    # issue 21, the install side's remaining decision modules and hkpost_intake's decision points
    'install/_pfx': [MI + 'test_pfx_rules.py', MI + 'test_install_core.py', A + 'test_hkpost_pfx_rules.py', A + 'test_hkpost_pfx.py',
                     A + 'test_hkpost_pfx_fleet_defaults.py', A + 'test_bad_input_hkpost_pfx.py',
                     A + 'test_pfx_import_cleanup.py'],
    'install/_acme_issuer': [MI + 'test_acme_issuer_rules.py', MI + 'test_acme_issuer.py', MI + 'test_intake.py',
                             A + 'test_hkpost_intake.py'],
    'install/_exchange_hop': [MI + 'test_exchange_hop_rules.py', MI + 'test_exchange_hop.py',
                              A + 'test_exchange_second_hop.py'],
    'action/hkpost_intake': [A + 'test_hkpost_intake_rules.py', A + 'test_hkpost_intake.py'],
    'audit/_starttls': [U + 'module_utils/audit/test_starttls_rules.py', U + 'module_utils/audit/test_starttls.py'],
    'audit/_tls_fetch': [U + 'module_utils/audit/test_tls_fetch.py', U + 'module_utils/audit/test_tls_fetch_rules.py'],
    'audit/_tls12_memory': [U + 'module_utils/audit/test_tls12_memory_rules.py',
                            U + 'module_utils/audit/test_tls12_memory.py', U + 'module_utils/audit/test_tls_fetch.py'],
    'audit/_actions': [U + 'module_utils/audit/test_actions_rules.py',
                       U + 'module_utils/audit/test_actions_match_playbooks.py',
                       U + 'module_utils/audit/test_fleet_report.py'],
    'audit/_renew_due': [U + 'module_utils/audit/test_renew_due.py', U + 'module_utils/audit/test_renew_due_rules.py'],
    'dcv/_caa': [U + 'module_utils/dcv/test_caa.py', MD + 'test_caa_rules.py'],
    'dcv/_dnssec': [U + 'module_utils/dcv/test_dnssec.py', MD + 'test_dnssec_rules.py'],
    'dcv/_schedule': [U + 'module_utils/dcv/test_schedule.py', MD + 'test_schedule_rules.py'],
    'dcv/_preflight': [A + 'test_hkpost_preflight.py', MD + 'test_preflight_rules.py'],
    'request/_renewal_selection': [U + 'module_utils/request/test_renewal_selection.py',
                                   MR + 'test_renewal_selection_rules.py'],
    'request/_batch': [A + 'test_hkpost_csr.py', A + 'test_hkpost_csr_every_entry.py',
                       A + 'test_hkpost_csr_batch.py', MR + 'test_batch_rules.py'],
    'acme/_orders': [U + 'module_utils/test_acme_placement.py', U + 'module_utils/test_acme_rules.py'],
    'acme/_challenges': [U + 'module_utils/test_acme_placement.py', U + 'module_utils/test_acme_rules.py'],
    # issue 21, request / DCV / ACME / chain side: the modules below had no entry
    'plugin_utils/_csr_batch': [A + 'test_hkpost_csr_batch.py', A + 'test_hkpost_csr.py',
                                A + 'test_hkpost_csr_every_entry.py', A + 'test_hkpost_csr_listing.py',
                                A + 'test_hkpost_csr_rules.py'],
    'action/hkpost_csr': [A + 'test_hkpost_csr.py', A + 'test_bad_input_hkpost_csr.py', A + 'test_hkpost_csr_batch.py',
                          A + 'test_hkpost_csr_listing.py', A + 'test_hkpost_csr_every_entry.py',
                          A + 'test_csr_inf_text.py', A + 'test_hkpost_csr_rules.py'],
    'request/_pending_listing': [A + 'test_hkpost_csr_listing.py', MR + 'test_pending_listing_rules.py'],
    'request/_certreq_inf': [MR + 'test_certreq_inf.py', A + 'test_csr_inf_text.py', MR + 'test_certreq_inf_rules.py'],
    'pki/_names': [MP + 'test_idn_spoof.py', MR + 'test_subject.py', MR + 'test_subject_limits.py',
                   MP + 'test_names_rules.py'],
    'pki/_pem': [MP + 'test_pem.py', MP + 'test_pem_rules.py'],
    'dcv/_iis': [MD + 'test_iis.py', A + 'test_dcv_iis_read_effective.py', A + 'test_hkpost_dcv_token.py',
                 MD + 'test_iis_rules.py'],
    'action/hkpost_dcv_token': [A + 'test_hkpost_dcv_token.py', A + 'test_hkpost_dcv_token_contract.py',
                                A + 'test_hkpost_dcv_token_dates.py', A + 'test_dcv_iis_read_effective.py',
                                A + 'test_windows_dns_node.py', A + 'test_hkpost_dcv_token_rules.py',
                                A + 'test_hkpost_dcv_token_posix_rules.py'],
    'action/hkpost_acme_challenge': [A + 'test_hkpost_acme_challenge.py', A + 'test_hkpost_acme_challenge_rules.py'],
    'inventory/_stale': [U + 'module_utils/inventory/test_stale_rules.py',
                         U + 'module_utils/inventory/test_inventory_fleet.py'],
    'inventory/_forecast': [U + 'module_utils/inventory/test_forecast_rules.py',
                            U + 'module_utils/inventory/test_inventory_forecast.py'],
    'notify/_redact': [U + 'module_utils/notify/test_redact_rules.py', U + 'module_utils/notify/test_message.py',
                       A + 'test_hkpost_notify.py'],
    # the action plugins' decision points (what they refuse, skip, compare and return)
    'action/hkpost_install': [A + 'test_hkpost_install_rules.py', A + 'test_hkpost_install.py', A + 'test_hkpost_install_exchange.py',
                              A + 'test_hkpost_install_chain.py', A + 'test_shared_install_options.py',
                              A + 'test_hkpost_install_chain_rules.py'],
    'action/hkpost_complete_request': [A + 'test_hkpost_complete_request_rules.py',
                                       A + 'test_hkpost_complete_request.py',
                                       A + 'test_bad_input_hkpost_complete_request.py'],
    'action/iis_binding': [A + 'test_iis_binding_verify_rules.py', A + 'test_iis_binding.py',
                           A + 'test_iis_binding_verify.py',
                           A + 'test_iis_binding_one_commit.py', A + 'test_bad_input_iis_binding.py'],
    'action/exchange_cert': [A + 'test_exchange_cert_rules.py', A + 'test_exchange_cert.py', A + 'test_exchange_unknown_and_check_mode.py',
                             A + 'test_exchange_second_hop.py', A + 'test_bad_input_exchange_cert.py'],
    'action/hkpost_retire': [A + 'test_hkpost_retire_rules.py', A + 'test_hkpost_retire.py',
                             A + 'test_retire_blast_radius.py', U + 'plugin_utils/test_win_payload_masking.py',
                             'tests/unit/test_secrets_spec.py'],
    'action/hkpost_pfx': [A + 'test_hkpost_pfx_rules.py', A + 'test_hkpost_pfx.py', A + 'test_hkpost_pfx_fleet_defaults.py',
                          A + 'test_bad_input_hkpost_pfx.py', 'tests/unit/test_secrets_spec.py'],
    'plugin_utils/_install_apply': [U + 'plugin_utils/test_install_apply_rules.py', A + 'test_iis_binding.py', A + 'test_hkpost_install.py',
                                    A + 'test_shared_install_options.py'],
    'plugin_utils/_chain_inputs': [U + 'plugin_utils/test_chain_inputs_rules.py', A + 'test_hkpost_chain.py',
                                   A + 'test_bad_input_hkpost_chain.py', A + 'test_hkpost_install_chain.py'],
    # issue 21, the chain after it moved into hkpost_install (one block)
    'action/hkpost_chain': [A + 'test_hkpost_chain_rules.py', A + 'test_hkpost_chain.py', A + 'test_bad_input_hkpost_chain.py'],
    'plugin_utils/_served_check': [U + 'plugin_utils/test_served_check.py', A + 'test_iis_binding_verify.py',
                                   A + 'test_hkpost_install.py',
                                   A + 'test_exchange_cert.py'],
    'plugin_utils/_install_checks': [U + 'plugin_utils/test_install_checks.py', A + 'test_shared_install_options.py',
                                     A + 'test_hkpost_install.py',
                                     A + 'test_hkpost_pfx.py'],
    # issue 21: the audit, inventory, notify and report modules not mapped before
    'audit/_fleet_report': [U + 'module_utils/audit/test_fleet_report.py',
                            U + 'module_utils/audit/test_to_renew_revoked.py',
                            U + 'module_utils/inventory/test_inventory_fleet.py',
                            A + 'test_hkpost_fleet_report.py', U + 'filter/test_filter_arguments.py',
                            U + 'filter/test_bad_input_filters.py', MR + 'test_renewal_selection.py',
                            U + 'module_utils/notify/test_message.py',
                            U + 'module_utils/audit/test_fleet_report_rules.py'],
    'audit/_endpoint_list': [U + 'module_utils/audit/test_endpoint_list_rules.py',
                             U + 'module_utils/audit/test_fleet_report.py', U + 'filter/test_filter_arguments.py',
                             U + 'filter/test_bad_input_filters.py'],
    'audit/_audit_inputs': [U + 'module_utils/audit/test_audit_inputs_rules.py',
                            U + 'filter/test_bad_input_filters.py', U + 'filter/test_filter_arguments.py',
                            A + 'test_bad_input_hkpost_served_chain.py'],
    'audit/_tls_standard': [U + 'module_utils/audit/test_tls_standard_rules.py',
                            U + 'module_utils/audit/test_tls_fetch.py', U + 'module_utils/audit/test_starttls.py',
                            U + 'module_utils/audit/test_tls12_memory.py'],
    'notify/_notify': [U + 'module_utils/notify/test_notify_rules.py', A + 'test_hkpost_notify.py',
                       U + 'module_utils/notify/test_message.py'],
    'inventory/_served': [U + 'module_utils/inventory/test_served_rules.py',
                          U + 'module_utils/inventory/test_inventory_fleet.py',
                          A + 'test_hkpost_certificate_inventory.py'],
    # issue 21, third round: modules the map did not hold yet, each with the unit-test files that call into it
    # (found by tracing tests/unit once); a mutant runs only the tests that execute its lines (mutation_lines.py)
    'action/hkpost_certificate_inventory': [A + 'test_exchange_second_hop.py',
                                            A + 'test_hkpost_certificate_inventory.py',
                                            A + 'test_hkpost_fleet_report.py',
                                            U + 'module_utils/inventory/test_inventory_fleet.py'],
    'action/hkpost_fleet_report': [A + 'test_hkpost_fleet_report.py', A + 'test_hkpost_fleet_report_rules.py'],
    'action/hkpost_notify': [A + 'test_hkpost_notify.py', A + 'test_hkpost_notify_rules.py', 'tests/unit/test_secrets_spec.py'],
    'action/hkpost_preflight': [A + 'test_hkpost_preflight.py', A + 'test_hkpost_preflight_rules.py'],
    'action/hkpost_renewal_report': [A + 'test_hkpost_renewal_report.py', A + 'test_hkpost_renewal_report_rules.py'],
    'action/hkpost_served_chain': [A + 'test_bad_input_hkpost_served_chain.py', A + 'test_hkpost_served_chain.py',
                                   A + 'test_hkpost_served_chain_rules.py'],
    'action/hkpost_run_check': [A + 'test_exchange_second_hop.py', 'tests/unit/test_secrets_spec.py',
                                A + 'test_hkpost_run_check_rules.py'],
    '_controller_files': [A + 'test_bad_input_exchange_cert.py', A + 'test_bad_input_hkpost_csr.py',
                          A + 'test_bad_input_hkpost_pfx.py', A + 'test_csr_inf_text.py',
                          A + 'test_exchange_cert.py', A + 'test_exchange_cert_rules.py', A + 'test_hkpost_csr.py',
                          A + 'test_hkpost_csr_batch.py', A + 'test_hkpost_csr_listing.py',
                          A + 'test_hkpost_csr_rules.py', A + 'test_hkpost_fleet_report.py',
                          A + 'test_hkpost_install.py', A + 'test_hkpost_install_chain.py',
                          A + 'test_hkpost_install_chain_rules.py', A + 'test_hkpost_install_exchange.py',
                          A + 'test_hkpost_intake.py', A + 'test_hkpost_intake_rules.py', A + 'test_hkpost_pfx.py',
                          A + 'test_hkpost_pfx_fleet_defaults.py', A + 'test_hkpost_pfx_rules.py',
                          A + 'test_hkpost_renewal_report.py', A + 'test_hkpost_retire.py',
                          A + 'test_payload_secrets.py', A + 'test_pfx_import_cleanup.py',
                          U + 'module_utils/test_controller_files_rules.py',
                          A + 'test_shared_install_options.py', U + 'plugin_utils/test_install_checks.py',
                          'tests/unit/support/test_handlers_read_the_script.py'],
    '_dry_run': [A + 'test_hkpost_fleet_report.py', A + 'test_hkpost_renewal_report.py',
                 U + 'module_utils/inventory/test_inventory_fleet.py', U + 'module_utils/test_dry_run.py',
                 U + 'module_utils/test_dry_run_rules.py'],
    '_errors': [A + 'test_bad_input_hkpost_served_chain.py', A + 'test_hkpost_fleet_report.py',
                U + 'filter/test_bad_input_filters.py', U + 'filter/test_filter_arguments.py',
                U + 'module_utils/audit/test_audit_inputs_rules.py', U + 'module_utils/audit/test_fleet_report.py',
                U + 'module_utils/inventory/test_inventory_fleet.py',
                U + 'module_utils/inventory/test_served_rules.py', U + 'module_utils/pki/test_pem_rules.py',
                U + 'module_utils/test_errors_rules.py'],
    '_report_files': [A + 'test_hkpost_fleet_report.py', U + 'module_utils/inventory/test_inventory_fleet.py',
                      A + 'test_hkpost_fleet_report_rules.py'],
    '_run_check': [U + 'module_utils/test_run_check.py', U + 'module_utils/test_run_check_rules.py'],
    'audit/_fetch': [A + 'test_bad_input_hkpost_served_chain.py', A + 'test_hkpost_install.py',
                     A + 'test_hkpost_install_exchange.py', A + 'test_hkpost_served_chain.py',
                     A + 'test_iis_binding_verify.py', U + 'module_utils/audit/test_audit_options.py',
                     U + 'module_utils/audit/test_tls12_memory.py', U + 'module_utils/audit/test_fetch_rules.py',
                     U + 'module_utils/audit/test_served_chain_audit_rules.py'],
    'audit/_served_chain_audit': [A + 'test_bad_input_hkpost_served_chain.py', A + 'test_hkpost_install.py',
                                  A + 'test_hkpost_install_exchange.py', A + 'test_hkpost_served_chain.py',
                                  A + 'test_iis_binding_verify.py', U + 'module_utils/audit/test_audit_options.py',
                                  U + 'module_utils/audit/test_served_chain_audit_rules.py'],
    'audit/_tls_errors': [U + 'module_utils/audit/test_starttls.py', U + 'module_utils/audit/test_starttls_rules.py',
                          U + 'module_utils/audit/test_tls12_memory.py', U + 'module_utils/audit/test_tls_fetch.py',
                          U + 'module_utils/audit/test_tls_fetch_rules.py',
                          U + 'module_utils/audit/test_tls_standard_rules.py',
                          U + 'module_utils/audit/test_tls_errors_rules.py', U + 'module_utils/audit/test_fetch_rules.py'],
    'inventory/_fleet': [U + 'module_utils/inventory/test_fleet_rules.py', A + 'test_hkpost_certificate_inventory.py',
                         A + 'test_hkpost_fleet_report.py', U + 'module_utils/inventory/test_inventory_fleet.py'],
    'inventory/_host': [U + 'module_utils/inventory/test_host_rules.py', A + 'test_exchange_second_hop.py',
                        A + 'test_hkpost_certificate_inventory.py',
                        A + 'test_hkpost_fleet_report.py', U + 'module_utils/inventory/test_inventory_fleet.py'],
    'inventory/_report': [A + 'test_hkpost_certificate_inventory.py', A + 'test_hkpost_fleet_report.py',
                          U + 'module_utils/inventory/test_inventory_fleet.py',
                          U + 'module_utils/inventory/test_report_rules.py'],
    'notify/_message': [A + 'test_hkpost_notify.py', U + 'module_utils/notify/test_message.py',
                        U + 'module_utils/notify/test_notify_rules.py', U + 'module_utils/notify/test_message_rules.py'],
    'notify/_payloads': [U + 'module_utils/notify/test_message.py', U + 'module_utils/notify/test_payloads_rules.py'],
    'notify/_webhook': [A + 'test_hkpost_notify.py', U + 'module_utils/notify/test_webhook_rules.py'],
    'pki/_idn_spoof': [A + 'test_bad_input_exchange_cert.py', A + 'test_bad_input_hkpost_csr.py',
                       A + 'test_bad_input_hkpost_served_chain.py', A + 'test_bad_input_iis_binding.py',
                       A + 'test_hkpost_csr.py', U + 'filter/test_bad_input_filters.py',
                       U + 'module_utils/dcv/test_dcv_rules_pinned.py', U + 'module_utils/dcv/test_rules.py',
                       U + 'module_utils/install/test_pairing.py', U + 'module_utils/pki/test_idn_spoof.py',
                       U + 'module_utils/pki/test_idn_spoof_rules.py',
                       U + 'module_utils/pki/test_names_rules.py',
                       U + 'module_utils/request/test_renewal_selection.py',
                       U + 'module_utils/request/test_subject.py', U + 'test_file_name_filter.py'],
    'report/_renewal_report': [A + 'test_hkpost_renewal_report.py', A + 'test_hkpost_renewal_report_rules.py'],
    'plugin_utils/_action': [A + 'test_argument_errors.py', A + 'test_bad_input_exchange_cert.py',
                             A + 'test_bad_input_hkpost_chain.py', A + 'test_bad_input_hkpost_complete_request.py',
                             A + 'test_bad_input_hkpost_csr.py', A + 'test_bad_input_hkpost_pfx.py',
                             A + 'test_bad_input_hkpost_served_chain.py', A + 'test_bad_input_iis_binding.py',
                             A + 'test_csr_inf_text.py', A + 'test_dcv_iis_read_effective.py',
                             A + 'test_exchange_cert.py', A + 'test_exchange_cert_rules.py',
                             A + 'test_exchange_second_hop.py', A + 'test_exchange_unknown_and_check_mode.py',
                             A + 'test_hkpost_acme_challenge.py', A + 'test_hkpost_certificate_inventory.py',
                             A + 'test_hkpost_chain.py', A + 'test_hkpost_chain_rules.py',
                             A + 'test_hkpost_complete_request.py', A + 'test_hkpost_complete_request_rules.py',
                             A + 'test_hkpost_csr.py', A + 'test_hkpost_csr_batch.py',
                             A + 'test_hkpost_csr_every_entry.py', A + 'test_hkpost_csr_listing.py',
                             A + 'test_hkpost_csr_rules.py', A + 'test_hkpost_dcv_token.py',
                             A + 'test_hkpost_dcv_token_dates.py', A + 'test_hkpost_dcv_token_rules.py',
                             A + 'test_hkpost_fleet_report.py', A + 'test_hkpost_install.py',
                             A + 'test_hkpost_install_chain.py', A + 'test_hkpost_install_chain_rules.py',
                             A + 'test_hkpost_install_exchange.py', A + 'test_hkpost_intake.py',
                             A + 'test_hkpost_intake_rules.py', A + 'test_hkpost_notify.py',
                             A + 'test_hkpost_pfx.py', A + 'test_hkpost_pfx_fleet_defaults.py',
                             A + 'test_hkpost_pfx_rules.py', A + 'test_hkpost_preflight.py',
                             A + 'test_hkpost_renewal_report.py', A + 'test_hkpost_retire.py',
                             A + 'test_hkpost_retire_rules.py', A + 'test_hkpost_served_chain.py',
                             A + 'test_iis_binding.py', A + 'test_iis_binding_one_commit.py',
                             A + 'test_iis_binding_verify.py', A + 'test_iis_binding_verify_rules.py',
                             A + 'test_native_tool_errors.py', A + 'test_payload_secrets.py',
                             A + 'test_pfx_import_cleanup.py', A + 'test_retire_blast_radius.py',
                             A + 'test_shared_install_options.py', A + 'test_unreadable_stores.py',
                             A + 'test_windows_dns_node.py', U + 'module_utils/inventory/test_inventory_fleet.py',
                             U + 'plugin_utils/test_win_payload_masking.py', U + 'plugin_utils/test_action_rules.py',
                             'tests/unit/support/test_handlers_read_the_script.py'],
    'plugin_utils/_arg_types': [A + 'test_argument_errors.py', A + 'test_bad_input_exchange_cert.py',
                                A + 'test_bad_input_hkpost_pfx.py', A + 'test_dcv_iis_read_effective.py',
                                A + 'test_exchange_cert.py', A + 'test_exchange_second_hop.py',
                                A + 'test_hkpost_acme_challenge.py', A + 'test_hkpost_certificate_inventory.py',
                                A + 'test_hkpost_csr_batch.py', A + 'test_hkpost_csr_rules.py',
                                A + 'test_hkpost_dcv_token.py', A + 'test_hkpost_dcv_token_dates.py',
                                A + 'test_hkpost_dcv_token_rules.py', A + 'test_hkpost_install.py',
                                A + 'test_hkpost_install_chain.py', A + 'test_hkpost_install_chain_rules.py',
                                A + 'test_hkpost_install_exchange.py', A + 'test_hkpost_pfx.py',
                                A + 'test_hkpost_pfx_fleet_defaults.py', A + 'test_hkpost_pfx_rules.py',
                                A + 'test_hkpost_retire.py', A + 'test_hkpost_retire_rules.py',
                                A + 'test_payload_secrets.py', A + 'test_pfx_import_cleanup.py',
                                A + 'test_shared_install_options.py', A + 'test_windows_dns_node.py',
                                U + 'plugin_utils/test_win_payload_masking.py', U + 'plugin_utils/test_arg_types_rules.py',
                                'tests/unit/support/test_handlers_read_the_script.py'],
    'plugin_utils/_connection_auth': [A + 'test_bad_input_exchange_cert.py', A + 'test_exchange_cert.py',
                                      A + 'test_exchange_cert_rules.py', A + 'test_exchange_second_hop.py',
                                      A + 'test_exchange_unknown_and_check_mode.py',
                                      A + 'test_hkpost_certificate_inventory.py', A + 'test_hkpost_csr_batch.py',
                                      A + 'test_hkpost_csr_rules.py', A + 'test_hkpost_install_chain.py',
                                      A + 'test_hkpost_install_chain_rules.py',
                                      A + 'test_hkpost_install_exchange.py', A + 'test_hkpost_retire.py',
                                      A + 'test_hkpost_retire_rules.py', A + 'test_payload_secrets.py',
                                      U + 'plugin_utils/test_win_payload_masking.py',
                                      'tests/unit/support/test_handlers_read_the_script.py'],
    'plugin_utils/_controller_input': [A + 'test_bad_input_exchange_cert.py', A + 'test_bad_input_hkpost_chain.py',
                                       A + 'test_bad_input_hkpost_complete_request.py',
                                       A + 'test_bad_input_hkpost_pfx.py', A + 'test_exchange_cert.py',
                                       A + 'test_exchange_cert_rules.py',
                                       A + 'test_exchange_unknown_and_check_mode.py', A + 'test_hkpost_chain.py',
                                       A + 'test_hkpost_chain_rules.py', A + 'test_hkpost_complete_request.py',
                                       A + 'test_hkpost_complete_request_rules.py',
                                       A + 'test_hkpost_install_chain.py', A + 'test_hkpost_install_chain_rules.py',
                                       A + 'test_hkpost_intake.py', A + 'test_hkpost_intake_rules.py',
                                       A + 'test_hkpost_pfx.py', A + 'test_hkpost_pfx_rules.py',
                                       A + 'test_native_tool_errors.py', A + 'test_payload_secrets.py',
                                       A + 'test_pfx_import_cleanup.py', A + 'test_unreadable_stores.py',
                                       U + 'plugin_utils/test_controller_paths.py',
                                       U + 'plugin_utils/test_controller_input_rules.py',
                                       'tests/unit/support/test_handlers_read_the_script.py'],
    'plugin_utils/_exchange_session': [A + 'test_bad_input_exchange_cert.py', A + 'test_exchange_cert.py',
                                       A + 'test_exchange_cert_rules.py', A + 'test_exchange_second_hop.py',
                                       A + 'test_exchange_unknown_and_check_mode.py',
                                       A + 'test_hkpost_certificate_inventory.py', A + 'test_hkpost_csr_batch.py',
                                       A + 'test_hkpost_csr_rules.py', A + 'test_hkpost_install_chain.py',
                                       A + 'test_hkpost_install_chain_rules.py',
                                       A + 'test_hkpost_install_exchange.py', A + 'test_hkpost_retire.py',
                                       A + 'test_hkpost_retire_rules.py', A + 'test_payload_secrets.py',
                                       U + 'plugin_utils/test_win_payload_masking.py',
                                       'tests/unit/support/test_handlers_read_the_script.py'],
    'plugin_utils/_filter_args': [U + 'filter/test_bad_input_filters.py', U + 'filter/test_filter_arguments.py',
                                  U + 'filter/test_filter_args_rules.py'],
    'plugin_utils/_known_variables': ['tests/unit/test_known_variables.py', U + 'plugin_utils/test_known_variables_rules.py'],
    'plugin_utils/_win_payload': [A + 'test_bad_input_exchange_cert.py', A + 'test_bad_input_hkpost_chain.py',
                                  A + 'test_bad_input_hkpost_complete_request.py',
                                  A + 'test_bad_input_hkpost_csr.py', A + 'test_bad_input_hkpost_pfx.py',
                                  A + 'test_bad_input_iis_binding.py', A + 'test_csr_inf_text.py',
                                  A + 'test_dcv_iis_read_effective.py', A + 'test_exchange_cert.py',
                                  A + 'test_exchange_cert_rules.py', A + 'test_exchange_second_hop.py',
                                  A + 'test_exchange_unknown_and_check_mode.py', A + 'test_hkpost_acme_challenge.py',
                                  A + 'test_hkpost_certificate_inventory.py', A + 'test_hkpost_chain.py',
                                  A + 'test_hkpost_chain_rules.py', A + 'test_hkpost_complete_request.py',
                                  A + 'test_hkpost_complete_request_rules.py', A + 'test_hkpost_csr.py',
                                  A + 'test_hkpost_csr_batch.py', A + 'test_hkpost_csr_every_entry.py',
                                  A + 'test_hkpost_csr_listing.py', A + 'test_hkpost_csr_rules.py',
                                  A + 'test_hkpost_dcv_token.py', A + 'test_hkpost_dcv_token_rules.py',
                                  A + 'test_hkpost_fleet_report.py', A + 'test_hkpost_install.py',
                                  A + 'test_hkpost_install_chain.py', A + 'test_hkpost_install_chain_rules.py',
                                  A + 'test_hkpost_install_exchange.py', A + 'test_hkpost_pfx.py',
                                  A + 'test_hkpost_pfx_fleet_defaults.py', A + 'test_hkpost_pfx_rules.py',
                                  A + 'test_hkpost_retire.py', A + 'test_hkpost_retire_rules.py',
                                  A + 'test_iis_binding.py', A + 'test_iis_binding_one_commit.py',
                                  A + 'test_iis_binding_verify.py', A + 'test_iis_binding_verify_rules.py',
                                  A + 'test_native_tool_errors.py', A + 'test_payload_secrets.py',
                                  A + 'test_pfx_import_cleanup.py', A + 'test_retire_blast_radius.py',
                                  A + 'test_unreadable_stores.py', A + 'test_windows_dns_node.py',
                                  U + 'module_utils/inventory/test_inventory_fleet.py',
                                  U + 'plugin_utils/test_served_check.py', U + 'plugin_utils/test_win_payload.py',
                                  U + 'plugin_utils/test_win_payload_masking.py',
                                  U + 'plugin_utils/test_win_payload_rules.py',
                                  'tests/unit/support/test_handlers_read_the_script.py',
                                  'tests/unit/test_docs_and_payloads.py', 'tests/unit/test_payload_patterns.py',
                                  'tests/unit/test_payload_reference_commands.py',
                                  'tests/unit/test_payload_reference_dotnet.py',
                                  'tests/unit/test_payload_syntax_51.py',
                                  'tests/unit/test_win_powershell_boundary.py'],
    'notify/_email': [U + 'module_utils/notify/test_notify_rules.py', A + 'test_hkpost_notify.py',
                      U + 'module_utils/notify/test_email_rules.py'],
}

# Mutants judged equivalent: (module, mutant id as printed by --list) -> why no test can tell them apart.
# notify/_webhook L64 (issue 21, third round): a defensive check no answer reaches
WEBHOOK_2XX = ("urllib's HTTPErrorProcessor (always in build_opener) raises HTTPError for any answer outside 200-299 "
               'before open() returns (urllib/request.py http_response): status is always 2xx here')

# action/hkpost_certificate_inventory L33 (issue 21, third round): the test guards an answer the payload never gives
INVENTORY_EXCHANGE = ('the payload always answers "exchange" as a dict with an "error" key (inventory/'
                      'certificate_inventory_read.ps1, $exchangeState), and masked() returns a non-string error '
                      '(None) unchanged (_win_payload.py masked): masking it unconditionally changes nothing')

# _report_files and report/_renewal_report (issue 21, fourth round): reasons several mutants share
FLEET_REPORT_PASSES_ALL = ('a default of a keyword the only caller always passes (action/hkpost_fleet_report.py L46-57 '
                           'passes name, title, warn_days, revoked, dest, pending_days, batch, check_mode)')
FLEET_TITLE_IS_TEXT = ('check_title (audit/_audit_inputs.py L104) raises only for a title that is not str, and the '
                       'only caller hands a str (hkpost_fleet_report.py: title type str L23, else DEFAULT_TITLES L43): '
                       'the check cannot fail, so when it runs changes nothing')
FLEET_READ_NAMES = ('DRY_RUN_NAMES says False for audit and inventory (_report_files.py L34): file_path() gives '
                    'the real name whatever check_mode it is handed')
REPORT_JSON_FORMAT = ('indentation and key order of a JSON file: the same data to every reader (json.loads in '
                      '_dry_run.keep_rows_of_other_hosts, RFC 8259 s.4: object members are unordered)')
RENEWAL_PASSES_CHECK_MODE = ('a default check_mode no caller uses: action/hkpost_renewal_report.py L64-93 and the '
                             'module itself (L78, L122, L144, L172) always pass it')
RENEWAL_SPEC_REFUSES_NULL = ('the argument spec refuses null (list / dict with defaults [] / {}, '
                             'hkpost_renewal_report.py L23, L24, L28: "argument \'hosts\' is of type NoneType and we '
                             'were unable to convert to list"), so the value is never None here')
# Ansible's result of a skipped task: changed False, skipped, skip_reason, false_condition; install_record reads only
# changed, retired and kept (install/_record.py L27-38), none set in it, so it reads as {} does.
RENEWAL_SKIPPED_INSTALL = ("a skipped install's result (changed False, no retired/kept) reads as {} in install_record "
                           '(install/_record.py L27-38): keeping or dropping it gives the same row')
# plugin_utils/_filter_args (issue 21, fourth round): shapes of a filter's documentation the wrapper never meets -
# tests/unit/plugins/filter/test_filter_args_rules.py holds every plugins/filter/*.yml to them (ansible-test's
# validate-modules skips filter plugins, so that test is where they are held)
FILTER_ELEMENTS = ('"elements" is documented exactly on list options (test_every_option_has_a_type_a_description_and_'
                   'elements_only_for_a_list, ansible-test schema.py check_option_elements): "type == list" and '
                   '"elements" are both true or both false, so either alone, "or", and "and" decide the same')
FILTER_MAPPING = ('every value a template or YAML hands a filter has both keys and get (dict, ansible-core\'s lazy dict '
                  'subclasses, HostVars) or neither (list, str, bytes, int, float, bool, None): either hasattr alone, '
                  'or "or", decides the same')

EQUIVALENT = {
    ('pki/_hierarchy', 'L56:104.true'): 'rebuilds the shipped-certificate index on every call: slower, same answer',
    ('pki/_hierarchy', 'L119:475.inc'): 'lru_cache size 4096 -> 4097: a cache size, not a decision',
    ('pki/_hierarchy', 'L149:820.inc'): 'lru_cache size 4096 -> 4097: a cache size, not a decision',
    ('pki/_hierarchy', 'L122:434.false'): 'the issuer-name pre-check is a shortcut: verify_directly_issued_by '
                                          'raises ValueError on a name mismatch, which issued_by maps to False',
    ('chain/_inputs', 'L61:212.swap.body.6'): 'order of two refusals (not signed / expired): both refuse; only '
                                              'which message a doubly-wrong file gets first changes',
    ('chain/_plan', 'L90:270.drop.0'): 'a CA-store certificate with generation "new" that is not an intermediate is '
                                       'a leaf, and no root issues a leaf: the path check after it fails anyway',
    ('chain/_plan', 'L99:330.drop.0'): 'a CA-store certificate that issued the intermediate and is issued by a '
                                       'trusted root IS a path Windows builds, cross certificate or not',
    ('chain/_plan', 'L188:1170.drop.0'): 'the same thumbprint implies the same (number, thisUpdate) order',
    ('chain/_plan', 'L189:1207.edge.0'): 'ARLs of equal order are in "same", which already blocks import and warning',
    ('chain/_plan', 'L203:1376.drop.1'): 'an ARL without nextUpdate cannot be built (see chain/_inputs L114)',
    ('chain/_plan', 'L212:1465.drop.1'): 'role "leaf" is only ever set together with is_hkpost (pki/_hierarchy)',
    ('install/_complete', 'L22:24.swap.body.1'): 'refuse_expired() and "warnings = []" are independent',
    ('dcv/_rules', 'L103:448.swap.body.2'): 'check_code() and "names, seen = [], set()" are independent',
    ('dcv/_rules', 'L103:448.swap.body.1'): 'the empty-domains refusal and check_code() both only refuse; order '
                                            'of refusals',
    ('dcv/_rules', 'L114:490.swap.body.2'): 'seen.add() and names.append() are independent',
    ('dcv/_http', 'L80:302.swap.body.0'): 'super().__init__() and setting _server_name are independent',
    ('dcv/_http', 'L100:428.drop.1'): 'urlsplit() gives "" (never None) for a missing scheme: "or \'\'" is a no-op',
    ('dcv/_http', 'L135:701.inc'): 'reading MAX_BODY+2 instead of +1 bytes still detects a body over MAX_BODY',
    ('dcv/_http', 'L145:816.inc'): 'default timeout 10 s -> 11 s: a time limit, not a decision',
    ('dcv/_http', 'L187:1181.inc'): 'default timeout 10 s -> 11 s: a time limit, not a decision',
    ('dcv/_http', 'L163:994.swap.body.1'): 'recording the hop and judging its target are independent',
    ('dcv/_http', 'L175:1087.edge.1'): 'status 300 never reaches this test: the 3xx branch before it returns',
    ('dcv/_http', 'L175:1093.inc'): 'status 300 never reaches this test: the 3xx branch before it returns',
    ('dcv/_http', 'L190:1188.swap.body.4'): 'the dict is appended, then its last key set: the same object',
    ('dcv/_http', 'L200:1333.inc'): "url.split(':', 2)[0] == url.split(':', 1)[0]",
    ('request/_csr', 'L93:429.drop.0'): 'only RSA keys have the RSA sizes 2048/3072/4096 (an EC key_size is 256-521)',
    ('request/_csr', 'L96:451.swap.body.7'): 'sorting an empty candidate list before returning "create" changes nothing',
    ('chain/_inputs', 'L52:159.swap.body.0'): 'order of two refusals (not a root / expired), as above',
    ('chain/_inputs', 'L77:361.swap.body.4'): 'order of two refusals (not GlobalSign / expired), as above',
    ('install/_iis_binding', 'L25:8.inc'): 'SSL_FLAG_CENTRAL_STORE 2 -> 3: MANAGED_FLAGS = 1 | 3 is still 3, '
                                           'its only use',
    ('install/_iis_binding', 'L153:1009.swap.body.0'): 'appending the remove step and setting changed are independent',
    ('install/_iis_binding', 'L159:1061.inc'): 'a new binding\'s base flags 0 -> 1: bit 1 is in MANAGED_FLAGS, '
                                               'masked off on the same line',
    ('install/_iis_binding', 'L160:1077.false'): 'an SNI binding\'s endpoint is only read by the non-SNI branch '
                                                 '(after[\'endpoint\'] is not in public())',
    ('install/_iis_binding', 'L169:1214.drop.0'): '"target and b is target" == "b is target": b is never None',
    ('install/_iis_binding', 'L189:1383.drop.3'): 'sni differs only if the SNI bit of ssl_flags differs, tested '
                                                  'just before',
    ('install/_iis_binding', 'L225:1660.drop.1'): 'role "leaf" is only ever set together with is_hkpost '
                                                  '(pki/_hierarchy), as for chain/_plan L201',
    ('audit/_served_chain', 'L53:63.inc'): 'cache size 4096 -> 4097: a memory bound, not a decision',
    **{('audit/_served_chain', mid): 'the judge\'s caches never hit or never fill: the certificate is parsed / the '
                                     'signature checked again, slower, same answer'
       for mid in ('L234:1222.false', 'L238:1249.false', 'L238:1250.neg.0', 'L244:1305.false', 'L247:1333.false', 'L247:1334.neg.0')},
    ('audit/_served_chain', 'L176:871.drop.0'): 'without a dot the tail is "" and the suffix has a dot: never equal',
    ('audit/_served_chain', 'L315:2013.true'): '"while True" -> "while True"',
    ('audit/_served_chain', 'L316:2016.drop.0'): 'self_signed is subject == issuer, and issued_by() is False on a '
                                                 'name mismatch (pki/_hierarchy L122)',
    ('audit/_served_chain', 'L319:2070.drop.1'): 'the subject == issuer pre-check is a shortcut: issued_by() is False '
                                                 'on a name mismatch (pki/_hierarchy L122)',
    ('audit/_served_chain', 'L403:2937.inc'): 'the .get() default is for a verdict outside VERDICTS, which '
                                              'verdict_of() never returns',
    ('chain/_inputs', 'L114:654.drop.0'): 'an ARL without nextUpdate cannot be built with cryptography (nor '
                                          'issued by a conforming CA, RFC 5280 5.1.2.5); the guard is defensive',
    # dcv/_dns: transport and timing choices BIND answers identically; the results are the same.
    ('dcv/_dns', 'L62:160.drop.1'): 'e.strerror alone: a gaierror always carries strerror, so `or e` never applies',
    ('dcv/_dns', 'L121:540.flipbool'): 'queries over TCP instead of UDP by default: BIND answers both the same',
    ('dcv/_dns', 'L124:555.false'): 'TCP requests sent over UDP first: BIND answers, and a truncated answer is retried over TCP',
    ('dcv/_dns', 'L126:597.flipbool'): 'ignore_trailing: BIND sends no trailing bytes after a message',
    ('dcv/_dns', 'L127:598.true'): 'always repeat a UDP answer over TCP: same answer, one more round trip',
    ('dcv/_dns', 'L151:813.inc'): 'default timeout 5 -> 6 s: a server that answers answers within both',
    ('dcv/_dns', 'L183:1006.inc'): 'default timeout 5 -> 6 s',
    ('dcv/_dns', 'L187:1024.true'): '`while True` -> `while True`: the same loop',
    ('dcv/_dns', 'L206:1230.inc'): 'default timeout 5 -> 6 s',
    ('dcv/_dns', 'L206:1231.flipbool'): 'read_txt over UDP by default: a truncated answer is retried over TCP',
    ('dcv/_dns', 'L221:1411.inc'): 'update timeout 10 -> 11 s',
    ('dcv/_dns', 'L223:1415.true'): 'UpdateMessage(zone, keyring=None) is UpdateMessage(zone)',
    ('dcv/_dns', 'L229:1501.flipbool'): 'the update over UDP: BIND applies it the same (the answer is small)',
    ('dcv/_dns', 'L244:1613.inc'): 'default timeout 5 -> 6 s',
    ('dcv/_dns', 'L276:2006.inc'): 'default timeout 5 -> 6 s',
    # re-judged after the map check dropped them (issue 21): the same source text at its new id
    ('dcv/_dns', 'L215:1318.swap.body.0'): 'values and ttl are set from the same RRset in either order',
    ('dcv/_dns', 'L268:1943.swap.body.0'): 'extend the result and set found in either order',
    ('dcv/_dns', 'L279:2012.swap.body.1'): 'the dict is appended then filled in place: the same object ends in the list',
    # _referral's guards: BIND puts NS in the authority section of a referral only (minimal-responses, its
    # default, leaves it out of answers; negative answers carry the SOA), and a referral holds only NS there.
    ('dcv/_dns', 'L175:944.false'): 'NS in the authority section comes only with a referral (no answer, no AA)',
    ('dcv/_dns', 'L175:945.swapop'): 'NS in the authority section comes only with a referral (no answer, no AA)',
    ('dcv/_dns', 'L175:945.drop.0'): 'a BIND answer with records is authoritative or carries no NS authority',
    ('dcv/_dns', 'L175:945.drop.1'): 'an AA answer without records is negative: SOA, not NS, in authority',
    ('dcv/_dns', 'L178:972.true'): 'a referral\'s authority section holds only the delegation NS',
    ('dcv/_dns', 'L178:973.swapop'): 'a referral\'s authority section holds only the delegation NS',
    ('dcv/_dns', 'L178:973.drop.0'): 'a referral\'s authority section holds only the delegation NS',
    ('dcv/_dns', 'L178:973.drop.1'): 'a referral is always to a zone enclosing the name asked',
    # find_zone's SOA-in-authority shortcut: without it the search walks up and finds the same zone (one
    # query per label more); with NS accepted too, the referral path returns the same owner name.
    ('dcv/_dns', 'L193:1089.true'): 'the first authority RRset is the SOA (negative) or the referral NS: same zone',
    ('dcv/_dns', 'L193:1089.false'): 'the walk up finds the same zone, one query per label more',
    ('dcv/_dns', 'L193:1090.swapop'): 'SOA or NS owner in authority: the same zone as the referral path',
    ('dcv/_dns', 'L193:1090.drop.0'): 'NS owner in authority: the same zone as the referral path',
    ('dcv/_dns', 'L193:1090.drop.1'): 'the SOA of a negative answer always encloses the name asked',
    ('dcv/_dns', 'L193:1092.neg.0'): 'negative answers walk up to the same zone; referrals return the same owner',
    ('dcv/_dns', 'L250:1708.drop.0'): 'with NS in the answer _referral() is None: `not ns_sets` is implied',
    ('dcv/_dns', 'L265:1887.true'): 'BIND sends no additional records with a non-referral A/AAAA answer '
                                    '(minimal-responses): the glue list is empty either way',
    # install/_retire (issue 21)
    **{('install/_retire', mid): 'reorders the reasons of one "still used by" list (the uses are the same; no '
                                 'order is documented)'
       for mid in ('L57:8.swap.body.10', 'L91:271.swap.body.4', 'L91:271.swap.body.5')},
    ('install/_retire', 'L72:88.swap.body.0'): 'bound.add() and use() are independent',
    ('install/_retire', 'L175:894.drop.0'): 'a certificate is not issued after itself (not_before > its own fails)',
    ('install/_retire', 'L181:997.swap.body.8'): 'held.update(keep) and building "wanted" are independent',
    ('install/_retire', 'L196:1033.swap.body.1'): 'the entry is appended, then its group set: the same object',
    ('install/_retire', 'L71:76.drop.1'): 'current_bindings() iterates "sites or []" itself',
    ('install/_retire', 'L72:88.true'): 'current_bindings() takes a binding\'s thumbprint from the http.sys mapping '
                                        'of its kind on its endpoint: without one there is no mapping to skip',
    ('install/_retire', 'L109:473.drop.1'): 'the message part is built only for a key the filter found non-empty',
    ('install/_retire', 'L131:635.false'): 'the "<i>issuer<s>subject" text is never empty, so no certificate '
                                           'matches an empty name anyway',
    ('install/_retire', 'L134:653.drop.1'): 'reached only with a hybrid name, which only an Exchange answer carries',
    ('install/_retire', 'L135:674.drop.1'): 'a missing issuer gives "<i>None<s>...": no TlsCertificateName names the '
                                            'issuer "None"',
    ('install/_retire', 'L135:683.drop.1'): 'a missing subject gives "...<s>None": no TlsCertificateName names the '
                                            'subject "None"',
    ('install/_retire', 'L237:1472.drop.0'): 'grace_days 0 adds no time, and a replacement is never issued after now '
                                             '(_replacement refuses one not yet valid)',
    # install/_exchange_host_plan (issue 21)
    ('install/_exchange_host_plan', 'L29:9.swap.body.2'): 'the entry is appended, then updated: the same object',
    ('install/_exchange_host_plan', 'L39:70.false'): '_services_text is only given sets (set(held or ()) | services, '
                                                     'set(held) - moved): its None branch is never taken',
    **{('install/_exchange_host_plan', mid): 'adding the Exchange entry and building the kept keys, or adding the My '
                                             'entry and filtering REQUEST, are independent'
       for mid in ('L75:413.swap.body.2', 'L75:413.swap.body.4')},
    # install/_exchange (issue 21)
    ('install/_exchange', 'L109:548.swap.body.1'): 'order of two refusals (expired / wildcard for POP/IMAP): both '
                                                   'refuse; only which message a doubly-wrong certificate gets first',
    ('install/_exchange', 'L109:548.swap.body.2'): 'the wildcard refusal and "steps = []" are independent',
    ('install/_exchange', 'L120:622.swap.body.1'): 'the import step appended before the refusal is discarded with it',
    ('install/_exchange', 'L150:988.drop.0'): 'the new certificate is not older than itself: the not_before test '
                                              'skips it',
    ('install/_exchange', 'L209:1437.drop.0'): 'covers(leaf, None) is False: "server and" is a shortcut',
    ('install/_exchange', 'L214:1456.swap.body.3'): 'order of two refusals (no key / wildcard for POP/IMAP), as above',
    ('install/_exchange', 'L214:1456.swap.body.4'): 'the wildcard refusal and computing the missing services are '
                                                    'independent',
    # action/hkpost_complete_request (issue 21)
    ('action/hkpost_complete_request', 'L38:48.swap.body.9'): 'choosing the friendly name and filling the result are '
                                                              'independent',
    ('action/hkpost_complete_request', 'L38:48.swap.body.10'): 'result.update() and adding result["request"] are '
                                                               'independent',
    ('action/hkpost_complete_request', 'L38:48.swap.body.16'): 'the failure is the same (message and exception); only '
                                                               'the result it carries gains the friendly name and '
                                                               'certreq output of a completed accept',
    ('plugin_utils/_served_check', 'L28:9.false'): 'audit_endpoints is None only when the audit module shipped beside '
                                                   'it is missing (pragma: no cover): the guard never fires',
    ('audit/_tls12_memory', 'L52:36.true'): '"while True" -> "while True"',
    ('audit/_tls12_memory', 'L66:138.swap.body.2'): 'Event.set() only schedules the waiters and learned() is '
                                                    'synchronous: the verdict is stored before any waiter runs',
    # audit/_starttls (issue 21)
    ('audit/_starttls', 'L46:99.inc'): 'the getattr() default only names a limit in a message; an asyncio '
                                       'StreamReader always has _limit',
    ('audit/_starttls', 'L46:101.inc'): 'the getattr() default only names a limit in a message, as above',
    ('audit/_starttls', 'L64:186.swap.body.1'): 'a line appended before the refusal is discarded with it',
    ('audit/_starttls', 'L66:207.drop.0'): '_line() returns lines ending in a line feed: one shorter than 4 bytes has '
                                           'a non-digit among its first 3, which the next test refuses',
    ('audit/_starttls', 'L70:284.inc'): 'int() ignores the space/CR/LF that follows a final reply\'s code: '
                                        'int(b"220 ") == 220',
    ('audit/_starttls', 'L82:416.inc'): 'split(b" ", 2)[0] == split(b" ", 1)[0]',
    ('audit/_starttls', 'L99:548.edge.0'): '"[CAPABILITY" never starts an untagged line ("* ..."): index 0 is '
                                           'impossible',
    ('audit/_starttls', 'L99:552.inc'): '"[CAPABILITY" never starts an untagged line: start is -1 or >= 2',
    ('audit/_starttls', 'L101:582.edge.0'): 'find("]", start) is -1 or >= start >= 2: "> 0" == ">= 0"',
    ('audit/_starttls', 'L101:586.inc'): 'find("]", start) is -1 or >= start >= 2: "> 0" == "> 1"',
    ('audit/_starttls', 'L111:655.inc'): 'split(b" ", 2)[0] == split(b" ", 1)[0]',
    ('install/_summary', 'L46:217.drop.1'): 'a skipped result holds only skipped and changed: false, which read as '
                                            'it is gives the same row (no certificates, unchanged, no platform)',
    ('install/_summary', 'L58:359.drop.1'): 'a changed result is "installed" in both branches: the "and not changed" '
                                            'only chooses which branch says it',
    # action/hkpost_retire (issue 21)
    ('action/hkpost_retire', 'L45:180.swap.body.6'): '"exchange = ..." and result.update() are independent',
    ('action/hkpost_retire', 'L45:180.swap.body.7'): 'result.update() does not set exchange_error: setting it before '
                                                     'or after gives the same result',
    ('action/hkpost_retire', 'L58:349.swap.body.0'): 'setting exchange_error and showing the warning are independent',
    ('action/hkpost_retire', 'L55:307.drop.1'): 'exchange is read only when Exchange did not answer, and then '
                                                'retire_read\'s answer has an exchange object',
    # action/iis_binding (issue 21)
    ('action/iis_binding', 'L42:107.swap.body.16'): 'showing the override warnings and filling the result are '
                                                    'independent',
    ('action/iis_binding', 'L42:107.swap.body.17'): 'result.update() and adding result["diff"] are independent',
    ('action/iis_binding', 'L59:278.drop.0'): 'without a host header host is "" and "" == "".lower(): never converted',
    ('action/iis_binding', 'L81:601.true'): '_apply() with no steps sends nothing',
    ('action/iis_binding', 'L86:656.swap.body.0'): 'the audit module ships with the plugin (pragma: no cover): its '
                                                   'guard never fires, so the order of the two checks is unseen',
    ('action/iis_binding', 'L87:660.false'): 'audit_endpoints is None only when the shipped audit module is missing '
                                             '(pragma: no cover)',
    ('action/hkpost_retire', 'L38:131.drop.1'): 'sensitive_parameters {} and None are the same: no entry '
                                                '(_win_payload._sensitive_entries)',
    **{('action/hkpost_retire', mid): 'masked() returns a non-text error unchanged, and retire_read always answers an '
                                      'exchange object: masking is a no-op unless there is an error text'
       for mid in ('L40:145.true', 'L40:146.swapop', 'L40:146.drop.0', 'L40:146.drop.1')},
    ('action/hkpost_retire', 'L58:350.drop.0'): 'exchange_known is False only when Exchange was asked (exchange: true)',
    ('action/hkpost_retire', 'L70:540.drop.1'): 'with nothing to retire backup_and_retire() backs up and sends '
                                                'nothing (plugin_utils/_install_apply.retire)',
    # issue 21: audit, inventory, notify and report
    ('audit/_renew_due', 'L42:183.drop.0'): 'reached only when now >= due, so due == floor implies now >= floor',
    ('audit/_renew_due', 'L51:251.false'): 'an aware datetime round-trips through str() and fromisoformat() to the '
                                           'same instant (a naive one is refused either way)',
    ('audit/_tls_standard', 'L25:12.swap.body.4'): 'minimum_version and the cipher string are both read at '
                                                   'handshake time: the order they are set in is unseen',
    ('audit/_tls_standard', 'L47:169.inc'): 'split maxsplit 1 -> 2: no OpenSSL reason code holds "_ALERT_" twice',
    ('audit/_tls_standard', 'L58:256.true'): '"while True" -> "while True"',
    ('audit/_tls_standard', 'L58:256.swap.body.5'): 'writing the empty read into the BIO before refusing it: the '
                                                    'refusal is the same',
    ('audit/_tls_standard', 'L59:258.swap.body.0'): '"done = True" before do_handshake(): its SSLWantReadError sets '
                                                    'done False in the except clause',
    ('audit/_tls_standard', 'L71:325.inc'): 'read size 65536 -> 65537: a buffer size, not a decision',
    ('audit/_tls_standard', 'L67:301.true'): 'StreamWriter.write(b"") sends nothing: the "if pending" is a shortcut',
    ('audit/_audit_inputs', 'L51:205.swap.body.0'): 'order of two refusals (host / server_name): both refuse; only '
                                                    'which message a doubly-wrong entry gets first',
    ('audit/_audit_inputs', 'L68:302.drop.0'): 'str(True) / str(False) are not digits: a boolean port is refused '
                                               'by the next test anyway',
    ('audit/_audit_inputs', 'L95:502.drop.1'): 'a boolean is never below 0 here and is refused by the next check',
    ('audit/_audit_inputs', 'L97:535.drop.0'): 'str(True) / str(False) are not digits: a boolean is refused by the '
                                               'digit test anyway',
    ('audit/_endpoint_list', 'L58:224.inc'): "split('#', 2)[0] == split('#', 1)[0]",
    **{('audit/_endpoint_list', mid): 'the endpoint dict is appended, then its starttls set: the same object'
       for mid in ('L68:322.swap.body.1', 'L145:844.swap.body.1')},
    ('audit/_endpoint_list', 'L123:662.swap.body.1'): 'the entry appended before its port is converted in place is '
                                                      'the same object; a refusal discards the list',
    ('audit/_endpoint_list', 'L131:741.drop.1'): 'str(None).lower() is "none", not "exchange": the same as "iis"',
    ('audit/_endpoint_list', 'L42:72.true'): 'after the refusal above, rest is "" or starts with ":": ""[1:] is "", '
                                             'which means 443 like None',
    ('notify/_redact', 'L38:136.drop.0'): '"p and len(p) > 3" == "len(p) > 3": an empty part has length 0',
    ('notify/_notify', 'L33:135.inc'): 'warn_days default 30 -> 31: it only labels the audit\'s to-renew list '
                                       '(_fleet_report.to_renew), which the message does not read',
    ('notify/_notify', 'L66:442.false'): 'without secrets clean() scrubs nothing: the same message, copied',
    ('audit/_tls_fetch', 'L217:1316.swap.body.3'): 'a certificate appended before its size is refused is discarded '
                                                   'with the refusal',
    **{('audit/_tls_fetch', mid): 'with fewer than 3 bytes left the size read is short, so "size == 0 or offset + size '
                                  '> len(body)" refuses the same entry as "malformed"'
       for mid in ('L218:1326.false', 'L218:1327.edge.0', 'L218:1328.addsub')},
    ('inventory/_forecast', 'L55:171.swap.body.1'): 'the event is appended before the subscription end is cleared: '
                                                    'the event does not read it',
    ('inventory/_forecast', 'L63:250.inc'): 'life 1 or 2 days gives the same next renewal (renewal_day never comes '
                                            'before the day after issue)',
    ('inventory/_forecast', 'L65:301.addsub'): 'renewal_day() is never before the day after issue: the max() with '
                                               'day - 1 changes nothing',
    ('inventory/_forecast', 'L86:437.swap.body.1'): 'the per-certificate entry and the weekly counts are independent',
    ('inventory/_forecast', 'L95:541.swap.body.6'): 'the due entry is appended, then its flags set: the same object',
    ('inventory/_forecast', 'L107:676.swap.body.0'): 'counting portal sessions and sorting the week\'s list are '
                                                     'independent',
    ('audit/_tls_fetch', 'L85:233.false'): 'idna.encode(uts46=True) lower-cases an ASCII name, and one it refuses '
                                           '("*", "_", long labels) falls back to name.lower(): the same text',
    ('audit/_tls_fetch', 'L132:625.flipbool'): 'offers_tls13 is read (_fetch) only after the certificates, which '
                                               'need a ServerHello, which sets it',
    ('audit/_tls_fetch', 'L39:32.inc'): 'the renegotiation SCSV only makes some servers answer; the reader reads '
                                        'no ServerHello extension, so 0x00FF -> 0x0100 is unseen by any server here',
    ('audit/_tls_fetch', 'L106:431.inc'): 'extension 23 (extended_master_secret) -> 24: the reader stops before any '
                                          'key exchange and reads no ServerHello extension',
    ('audit/_tls_fetch', 'L57:123.inc'): 'MAX_FLIGHT_BYTES 512 KiB -> 513 KiB: a size limit, not a decision',
    ('audit/_tls_fetch', 'L57:125.inc'): 'MAX_FLIGHT_BYTES 512 KiB -> 513 KiB: a size limit, not a decision',
    ('audit/_tls_fetch', 'L114:518.inc'): 'data[:16] -> data[:17]: at most the first 12 bytes are read from it',
    ('audit/_tls_fetch', 'L218:1332.inc'): 'with 3 bytes left the size read is 0 or points past the end: the same '
                                           '"malformed" refusal one test earlier',
    ('audit/_tls_fetch', 'L50:82.inc'): 'alert 112 gets its own message (unrecognized_name) before the table is read',
    ('inventory/_served', 'L20:7.true'): 'an empty audit ({}, [], None) survives the JSON round trip empty and is '
                                         'no index one line later',
    ('inventory/_served', 'L62:368.drop.0'): 'an SNI claim always has a name, so (port, None) is never in claims: a '
                                             'consumer without a name is relevant on a nameless endpoint either way',
    ('inventory/_stale', 'L31:60.drop.1'): 'a missing CN gives None in the list, which the "if n" filter drops like ""',
    ('inventory/_stale', 'L27:22.true'): '_day() is never given an empty date: every caller checks it first, and '
                                         'a personal certificate always has a notAfter',
    ('inventory/_stale', 'L69:490.drop.0'): 'the newest certificate has the newest sha256: "is not newest" is implied',
    ('inventory/_stale', 'L69:490.drop.1'): 'the same certificate (same sha256) in two personal stores has the same '
                                            'notBefore: the "issued before" test already skips it',
    # issue 21, request / DCV / ACME / chain side (one block)
    ('request/_certreq_inf', 'L28:13.false'): 'str(None) is "None", which holds no control character: None is '
                                              'returned unchanged either way',
    ('request/_subject', 'L41:94.swap.body.22'): 'appending the CN and building the option-name map are independent',
    ('request/_subject', 'L97:505.swap.body.0'): 'order of two refusals (control character / over 64 characters): '
                                                 'both refuse; only which message a doubly-wrong value gets first',
    ('request/_subject', 'L118:649.false'): 'csr_request calls it only for non-multi-domain types, and every other '
                                            'type normalize_name accepts is a single-name type',
    ('request/_batch', 'L49:154.swap.body.1'): 'check_every_request() and "seen, out = {}, []" are independent',
    ('request/_batch', 'L54:178.swap.body.5'): 'an entry appended before its friendly-name refusal is discarded with '
                                               'it',
    ('request/_batch', 'L77:323.swap.body.3'): 'the plan is appended, then its create key set: the same object',
    ('plugin_utils/_csr_batch', 'L40:13.drop.1'): '_pem() is only called with text a caller found non-empty',
    ('plugin_utils/_csr_batch', 'L46:47.swap.body.2'): 'the description is appended, then updated: the same object',
    ('plugin_utils/_csr_batch', 'L60:128.swap.body.1'): 'order of two refusals (csr_dir / backup options): both refuse '
                                                        'before the host is asked anything',
    ('plugin_utils/_csr_batch', 'L100:419.swap.body.8'): 'the item updated before the no-thumbprint refusal is '
                                                         'discarded with it (an HkpostError carries no result)',
    ('plugin_utils/_csr_batch', 'L103:437.drop.1'): 'a missing and an empty request text are refused alike just after',
    ('plugin_utils/_csr_batch', 'L107:469.true'): 'certreq -new writes its request armoured (BEGIN NEW CERTIFICATE '
                                                  'REQUEST): _pem() returns it unchanged but for LF line ends, '
                                                  'which load_csr reads the same',
    ('plugin_utils/_csr_batch', 'L120:601.swap.body.0'): 'reading args["platform"] and checking the options are '
                                                         'independent',
    ('plugin_utils/_csr_batch', 'L120:601.swap.body.1'): 'checking the options and reading inventory_hostname are '
                                                         'independent',
    ('plugin_utils/_csr_batch', 'L120:601.swap.body.13'): 'the backup loop fills the items result["requests"] holds: '
                                                          'the same objects',
    ('plugin_utils/_csr_batch', 'L139:824.swap.body.0'): 'the item is described, then listed: the same object',
    ('plugin_utils/_csr_batch', 'L151:949.drop.0'): 'the planned backups are of reused requests only, whose changed '
                                                    'starts False',
    ('plugin_utils/_csr_batch', 'L194:1454.drop.1'): 'sensitive_parameters {} and None are the same: no entry '
                                                     '(_win_payload._sensitive_entries)',
    ('plugin_utils/_csr_batch', 'L197:1507.drop.1'): 'sensitive_parameters {} and None are the same, as above',
    ('plugin_utils/_csr_batch', 'L206:1637.flipbool'): 'force for keys just made: no backup of a new thumbprint exists, '
                                                       'and each is exported (write=True) whatever plan_backups says',
    ('action/hkpost_csr', 'L71:286.swap.body.0'): 'order of two refusals (certificates without list_pending / an '
                                                  'entry breaking a rule): both refuse before the host is asked',
    ('action/hkpost_csr', 'L112:561.drop.1'): 'sensitive_parameters {} and None are the same: no entry '
                                              '(_win_payload._sensitive_entries)',
    ('action/hkpost_csr', 'L137:759.swap.body.3'): 'showing the module\'s warnings and dropping its invocation are '
                                                   'independent',
    ('action/hkpost_csr', 'L148:871.swap.body.0'): 'order of two refusals (friendly_name / request_dir control '
                                                   'characters)',
    ('action/hkpost_csr', 'L148:871.swap.body.1'): 'a key-size warning shown before the request_dir refusal: the task '
                                                   'fails with the same message and sends nothing either way',
    ('action/hkpost_csr', 'L175:1183.drop.1'): 'certreq_inf() writes no FriendlyName for None or "" alike',
    ('pki/_names', 'L34:62.drop.1'): '_to_alabel\'s only caller passes the whole name as original: never None',
    ('pki/_names', 'L42:132.drop.1'): 'as above: original is never None',
    ('pki/_names', 'L70:229.drop.1'): 'a name ending in two dots keeps an empty label after one is dropped: refused '
                                      'with the same message',
    ('pki/_pem', 'L88:300.true'): 'the fullmatch is a shortcut: b64decode(validate=True) refuses the same bytes (DER '
                                  'always holds bytes outside the base64 alphabet)',
    ('pki/_pem', 'L102:360.false'): 'cryptography raises ValueError for a PKCS#7 bundle without certificates ("has no '
                                    'certificate data"), which is read as "not PKCS#7": it never returns an empty list',
    ('pki/_pem', 'L125:465.swap.body.0'): 'the binary-beside-PEM refusal and "certs = []" are independent',
    ('pki/_hierarchy', 'L168:642.swap.body.0'): 'marking a root Hongkong Post and choosing its role are independent',
    ('pki/_hierarchy', 'L170:668.drop.0'): 'issued_by(cert, cert) is False unless the issuer name is the subject '
                                           '(L122): self_issued is implied',
    ('dcv/_rules', 'L45:88.false'): 'str(date) is its ISO form: fromisoformat() gives the same date back',
    ('dcv/_rules', 'L144:734.drop.0'): 'a key equal to the name or its A-label normalises to that A-label: '
                                       '_key_matches() says the same',
    ('dcv/_iis', 'L76:184.drop.1'): 'a site without a state: str(None) is not "stopped" either, it runs',
    ('dcv/_iis', 'L92:439.inc'): 'a site without an id sorts before every real one either way (IIS ids start at 1, '
                                 'and the site with id 1 is taken before sorting)',
    ('dcv/_iis', 'L106:477.drop.1'): 'a missing expanded path (None) is refused by "not path" like an empty one',
    ('acme/_orders', 'L62:380.drop.1'): 'only challenges with an error are read here (the filter on the same list)',
    ('acme/_orders', 'L63:394.drop.1'): 'only challenges with an error are read here, as above',
    **{('acme/_challenges', mid): 'text.rsplit(sep, 2)[-1] == text.rsplit(sep, 1)[-1]: the last part either way'
       for mid in ('L69:313.inc', 'L87:464.inc', 'L92:582.inc', 'L95:609.inc')},
    ('acme/_challenges', 'L74:382.swap.body.0'): 'seen.add() and files.append() are independent',
    ('acme/_challenges', 'L96:614.swap.body.0'): 'seen.add() and files.append() are independent',
    ('acme/_challenges', 'L90:517.drop.1'): 'a missing directory reads "None", which is no acme-challenge directory: '
                                            'refused with the same message',
    ('acme/_challenges', 'L90:529.drop.1'): 'a missing path reads "None", which is no file in the directory: refused '
                                            'with the same message',
    ('request/_pending_listing', 'L104:555.swap.body.2'): 'an entry appended before its der refusal is discarded '
                                                          'with it',
    ('request/_batch', 'L100:517.swap.body.2'): 'the Exchange plan is appended, then its create key set: the same '
                                                'object',
    ('chain/_summary', 'L39:199.true'): 'without "applied" the else branch gives [] and so does "get() or []"',
    ('chain/_summary', 'L60:454.true'): '"; ".join([]) is "", the else value',
    ('pki/_names', 'L175:1043.drop.1'): 'this branch is for text only: "name or \'\'" is name',
    ('plugin_utils/_csr_batch', 'L65:155.swap.body.0'): 'check_backup_options() skips a None directory, and the '
                                                        'password it needs is there (the branch is taken for it): '
                                                        'the backup_dir refusal comes either way',
    ('request/_renewal_selection', 'L71:424.drop.1'): 'platform is only compared with "exchange": None and "iis" '
                                                      'take the same branch',
    ('request/_renewal_selection', 'L84:558.swap.body.1'): 'the endpoint dict is appended, then its starttls key '
                                                           'set: the same object',
    ('request/_renewal_selection', 'L104:692.swap.body.3'): 'sorting the rows and "counts = {}" are independent',
    ('request/_renewal_selection', 'L109:700.swap.body.1'): 'the row is appended, then its host key set: the same '
                                                            'object',
    ('request/_renewal_selection', 'L116:775.swap.body.0'): 'counting a status and adding its table line are '
                                                            'independent',
    # issue 21, the install side: action/exchange_cert, install/_pfx, action/hkpost_pfx
    ('action/exchange_cert', 'L75:221.drop.1'): 'sensitive_parameters {} and None are the same: no entry '
                                                '(_win_payload._sensitive_entries)',
    **{('action/exchange_cert', mid): 'order of two refusals of the options (csr_path / subject / friendly_name; '
                                      'certificate / services / remove_superseded): both refuse before Exchange is '
                                      'contacted; only which message a doubly-wrong task gets first changes'
       for mid in ('L84:246.swap.body.0', 'L84:246.swap.body.1', 'L90:288.swap.body.0', 'L90:288.swap.body.1')},
    **{('action/exchange_cert', mid): 'swaps two independent statements (result keys set apart / a dict appended '
                                      'before its last keys are set, the same object)'
       for mid in ('L104:378.swap.body.5', 'L114:478.swap.body.2', 'L128:603.swap.body.3', 'L142:767.swap.body.5',
                   'L153:887.swap.body.1', 'L182:1144.swap.body.4', 'L182:1144.swap.body.5')},
    ('action/exchange_cert', 'L114:481.drop.1'): 'exchange_read always answers certificates as an array (@(...) in '
                                                 'plugins/payloads/install/exchange_read.ps1)',
    ('action/exchange_cert', 'L158:949.drop.1'): 'a None request text is refused by "not csr_text" as "" is',
    ('action/exchange_cert', 'L170:1018.true'): 'exchange_request lists the pending requests in both branches: the '
                                                'lookup by key finds the request 2013 named itself',
    ('action/exchange_cert', 'L179:1124.drop.0'): 'changed is True only for a new request, whose new key makes a CSR '
                                                  'that is never the file at csr_path: wrote is True with it',
    ('action/exchange_cert', 'L211:1507.drop.1'): 'retire_read always answers stores as an object ($stores = @{} in '
                                                  'plugins/payloads/install/retire_read.ps1)',
    ('install/_pfx', 'L91:374.inc'): "read_pfx's message names `what` once, at its start: split(what, 2) == split(what, 1)",
    **{('install/_pfx', mid): "read_pfx never answers has_private_key False: cryptography's load_pkcs12 returns as "
                              "cert only the key's certificate, and a PFX without one is refused "
                              '(test_pfx_rules.test_a_pfx_without_a_certificate_and_its_key_is_not_a_backup)'
       for mid in ('L92:381.drop.1', 'L94:419.true')},
    ('install/_pfx', 'L108:475.inc'): 'a missing build read as 1 instead of 0 is still before 17763, and the message '
                                      'prints the build as given',
    **{('action/hkpost_pfx', mid): 'retire_read always answers stores as an object holding an array for each store '
                                   'asked ($stores[$storeName] = @() in plugins/payloads/install/retire_read.ps1)'
       for mid in ('L66:300.drop.1', 'L104:732.drop.1', 'L104:736.drop.1')},
    ('action/hkpost_pfx', 'L164:1333.swap.body.12'): 'refuse_for_build() raises an HkpostError, which carries no result: '
                                                     'setting exportable before it is unseen',
    ('action/hkpost_pfx', 'L171:1404.false'): "read_pfx never answers has_private_key False (see install/_pfx L92): "
                                              'the refusal is defensive',
    ('action/hkpost_intake', 'L33:53.swap.body.10'): 'showing the findings as warnings and filling the result are '
                                                     'independent',
    ('action/hkpost_intake', 'L50:237.true'): 'without acme_trusted_issuers no host is in ACME mode (issuers {}): the '
                                              'records read are never looked at (install/_intake.match_intake)',
    **{('install/_acme_issuer', mid): 'never reached true: an allowed certificate that issued the current one is '
                                      'found by the any(issued_by(current, anchor)) test that opens the same step'
       for mid in ('L98:399.false', 'L90:307.swap.body.4')},
    ('install/_acme_issuer', 'L53:38.swap.body.1'): 'an issuer appended before the expiry refusal is discarded with it',
    ('install/_acme_issuer', 'L93:349.drop.2'): 'the current certificate is on the path after the first step, and '
                                                'the first (the leaf) is no CA: "c not in path" implies it',
    **{('install/_pairing', mid): 'looking up the entry, marking the name used and appending the item are '
                                  'independent'
       for mid in ('L38:94.swap.body.1', 'L38:94.swap.body.2')},
    ('install/_backup_selection', 'L64:182.drop.1'): 'now None: is_expired() takes the current time itself '
                                                     '(pki/_issued)',
    ('install/_exchange_hop', 'L57:97.drop.1'): 'the endpoint host is never None: check_connection_uri refuses a URL '
                                                'without a host, and Ansible always sets the inventory name',
    ('install/_exchange_hop', 'L58:107.swap.body.0'): 'setting kind before ip_address() raises is overwritten in the '
                                                      'except branch: the same kind either way',
    ('install/_exchange_hop', 'L80:173.drop.1'): 'second_hop None takes the branches "auto" takes: no test compares '
                                                 'with "auto"',
    ('install/_exchange_hop', 'L97:269.drop.1'): "the connection's auth is always a list (plugin_utils/_connection_auth)",
    # issue 21, the chain modules after the chain moved into hkpost_install (one block); chain/_plan: the nine
    # swaps dropped as stale ids in the map check, found again and re-judged one by one
    **{('chain/_plan', mid): 'swaps two independent statements: the step list and the "after" view of the same '
                             'store are separate objects, and nothing reads one between the two writes'
       for mid in ('L136:629.swap.body.0', 'L140:673.swap.body.0', 'L176:1059.swap.body.0',
                   'L196:1280.swap.body.0', 'L199:1317.swap.body.0')},
    ('chain/_plan', 'L165:948.swap.body.3'): 'remove() changes the CA / Root view, the disallow test reads Disallowed: '
                                             'independent, and removals and disallows are separate lists',
    ('chain/_plan', 'L196:1280.swap.body.1'): 'the new ARL appended to crls_after after the old ones are filtered out: '
                                              'it is never one of them (same order or thumbprint is "same", no '
                                              'import), and the views are sorted',
    ('chain/_plan', 'L209:1430.swap.body.5'): 'the label is computed from the entry, not from the leaves list: '
                                              'appending the entry before or after is the same',
    ('chain/_plan', 'L237:1796.swap.body.1'): 'the step dict is appended before its der is set: the same object, '
                                              'so the list holds the der either way',
    ('chain/_inputs', 'L124:710.swap.body.1'): 'order of two refusals (not an ACME intermediate / expired): both '
                                               'refuse; only which message comes first differs, as L52 and L77',
    ('action/hkpost_install', 'L237:1888.drop.1'): 'ChainSteps [] with no chain steps is exchange_enable\'s own '
                                                   'default (@()), and the empty list is falsy where the answer is read',
    ('action/hkpost_chain', 'L20:11.swap.body.0'): 'reading the clock and checking the options are independent',
    ('action/hkpost_chain', 'L20:11.swap.body.6'): 'the outcome has no "diff" key: setting the diff before or after '
                                                   'it is the same result',
    ('action/hkpost_install', 'L315:2631.drop.1'): 'answers is never None: it starts as [] and ApplyFailed carries '
                                                   '"answers or []" (plugin_utils/_served_check.apply_steps)',
    # issue 21, third round: intake, binding, retire
    ('install/_intake', 'L88:195.swap.body.5'): 'the row appended before the two-owners check is discarded with the '
                                                'HkpostError it raises; the append reads only .get() and locals',
    ('install/_intake', 'L136:647.drop.0'): 'read_sheet and normalize_requests give every request the same six keys '
                                            'with the same empty values (\'\', [], None): an empty value over an '
                                            'empty one of its type changes nothing',
    ('install/_intake', 'L208:1185.drop.0'): 'role "leaf" is only ever set together with is_hkpost (pki/_hierarchy '
                                             '_classify), as for chain/_plan L212',
    ('install/_intake', 'L208:1185.drop.1'): 'the leaf split_leaf returns is never a CA (pki/_issued split_leaf), and '
                                             'a non-CA certificate is is_hkpost only as role "leaf" (_classify)',
    ('install/_intake', 'L214:1256.drop.0'): 'hkpost is False here only for a certificate that is not is_hkpost (a '
                                             'trial one is refused at L209: acme_decision is asked only for non-'
                                             'Hongkong Post leaves, L280), and _classify sets generation only for '
                                             'Hongkong Post certificates',
    ('install/_intake', 'L224:1312.swap.body.12'): 'sorting each host\'s assignments and sorting the findings are '
                                                   'independent',
    ('install/_intake', 'L224:1312.swap.body.13'): 'sorting the findings and sorting the waiting list are independent',
    ('install/_intake', 'L247:1419.swap.body.4'): 'a candidate filed under a key no request of this run has is never '
                                                  'read: the assignment loop walks by_spki\'s keys only',
    ('install/_intake', 'L276:1693.swap.body.4'): 'sorting an empty accepted list before "continue" changes nothing',
    ('install/_intake', 'L276:1693.swap.body.15'): 'the assignment is appended, then updated with the ACME fields: the '
                                                   'same object',
    ('install/_intake', 'L283:1792.true'): 'decision is None for a host outside acme_issuers (set at L279, replaced '
                                           'only under the same test at L280): the ifexp gives decision either way',
    ('install/_intake', 'L300:1985.inc'): 'the accepted copies hold one certificate (distinct == 1): their leaves '
                                          'compare equal, so the tie-break falls to the stable sort of files already '
                                          'sorted by name at L247 - the same first name',
    ('install/_intake', 'L310:2119.drop.0'): 'the chain split_leaf returns holds CA certificates only (one non-CA is '
                                             'the leaf), and of CA certificates _classify gives a generation only to '
                                             'intermediates',
    ('install/_intake', 'L336:2464.drop.1'): 'only "conflict" findings have no file, and they all have none: None is '
                                             'never compared with a name, and ties fall to the host',
    ('install/_intake', 'L336:2473.drop.1'): 'findings without a host (unreadable, no_match) are one per file and kind, '
                                             'so two findings never tie up to the host with one of them None',
    ('install/_intake', 'L372:2787.drop.1'): 'csv.DictWriter writes None as the empty string (csv docs: "None is '
                                             'written as the empty string"), as "or \'\'" does',
    ('install/_retire', 'L148:748.false'): 'load_certificates encodes a text itself (pki/_pem _as_bytes: "if '
                                           'isinstance(data, str): data = data.encode(\'utf-8\')")',
    ('install/_acme_issuer', 'L142:752.drop.0'): 'every certificate leaf_signer is given is a CA: the file\'s chain '
                                                 '(split_leaf leaves one non-CA, the leaf) and the allow-list '
                                                 '(load_issuers refuses a non-CA), its only caller acme_decision L134',
    # issue 21, third round: fleet report and served chain
    **{('audit/_served_chain', mid): 'reorders the findings of one endpoint (no order is documented, '
                                     'served_chain_audit.rst "Findings"): verdict_of() takes the worst severity and '
                                     'summarise() a set of codes whatever the order, the report groups by code'
       for mid in ('L252:1359.swap.body.9', 'L252:1359.swap.body.10', 'L252:1359.swap.body.11',
                   'L252:1359.swap.body.12', 'L252:1359.swap.body.13')},
    ('audit/_served_chain', 'L315:2013.swap.body.3'): 'path.append(nxt) and used.add(nxt) are independent',
    ('audit/_served_chain', 'L315:2013.swap.body.4'): 'used.add(nxt) and reading parsed[nxt] are independent',
    **{('audit/_fleet_report', mid): 'the "no expiry" rank 10**6 days vs 11**6 / 10**7: only a leaf valid beyond '
                                     'year 4700 (RFC 5280 4.1.2.5 99991231235959Z) could sort between them'
       for mid in ('L61:223.inc', 'L61:225.inc')},
    ('audit/_fleet_report', 'L61:242.inc'): 'a missing port ranks 0 or 1: both before every port check_endpoint '
                                            'lets through (1-65535, _served_chain L149) bar port 1 itself',
    **{('audit/_fleet_report', mid): 'None instead of "": both render empty (_csv_cell L167 and _html_page.escape '
                                     'write None as ""); rows() has no other caller'
       for mid in ('L88:446.drop.2', 'L89:461.drop.2', 'L92:502.drop.1', 'L93:511.drop.1')},
    ('audit/_fleet_report', 'L126:720.drop.0'): 'a revoked CA certificate is still skipped by the renew loop\'s '
                                                '"cert.get(\'is_ca\')" (L129)',
    ('audit/_fleet_report', 'L128:765.swap.body.3'): 'appending the host and appending the endpoint are independent',
    ('audit/_fleet_report', 'L148:1062.swap.body.0'): 'changes only the key order of the per-host map: '
                                                      'render_to_renew_json sorts keys, _renewal_selection '
                                                      'looks hosts up by name',
    ('audit/_fleet_report', 'L195:1467.inc'): 'the count of a verdict outside VERDICT_ORDER is never shown (cards '
                                              'for the four known verdicts, L198)',
    ('audit/_fleet_report', 'L201:1523.inc'): 'counts holds every known verdict from L193: the .get() default is '
                                              'never used',
    ('audit/_fleet_report', 'L225:1744.drop.1'): 'as for L234 below: a member always has a list of findings',
    ('audit/_fleet_report', 'L234:1824.drop.1'): '_by_finding groups an endpoint under a code only from its '
                                                 'findings (L209): a member always has a list of findings',
    ('audit/_fleet_report', 'L278:2213.swap.body.1'): 'a lane\'s label (x=4) and its grid line (from x=90) do not '
                                                      'overlap: paint order shows nothing',
    ('audit/_fleet_report', 'L291:2439.addsub'): 'the five-dot spread is symmetric: -((i % 5) - 2) * 4 gives the same '
                                                 'offsets -8..8, in the other order',
    # the timeline's pixel layout: one pixel more margin, padding or label offset; no rule a reader relies on
    # (the rules - marks inside the box, one scale for dots, ticks, today and the warn zone, lanes, clamping,
    # labels left of their mark, dots painted last - are pinned in test_fleet_report_rules.py)
    **{('audit/_fleet_report', mid): 'timeline layout nudged by 1-3 px (a margin, a padding, a label offset; '
                                     'L270:2146 adds an empty lane-high strip under the lanes; the swap paints the '
                                     'ticks over, not under, the 60%-opaque warn zone): cosmetic, no rule'
       for mid in ('L265:2057.swap.body.8', 'L269:2131.inc', 'L269:2132.inc', 'L269:2133.inc', 'L270:2140.inc',
                   'L270:2146.inc', 'L280:2258.inc', 'L284:2322.inc', 'L284:2330.inc', 'L284:2335.inc',
                   'L286:2368.inc', 'L288:2394.inc', 'L288:2399.inc', 'L288:2401.inc')},
    # issue 21, third round: install apply and host plan
    **{('install/_host_plan', mid): 'the list is appended to, then stored (or stored, then appended to): the same '
                                    'object ends in the state either way'
       for mid in ('L58:259.swap.body.7', 'L63:287.swap.body.2')},
    ('install/_host_plan', 'L71:447.drop.1'): 'plan_install makes both sslcert kinds lists before any binding is '
                                              'applied (L86 list(v or []), L89-90 setdefault): .get(kind) is never None',
    ('install/_host_plan', 'L76:510.swap.body.3'): 'the two setdefault() calls on different keys are independent',
    ('install/_host_plan', 'L76:510.swap.body.4'): 'setdefault() on the state after and reading the pending requests '
                                                   'from the state before are independent',
    ('install/_host_plan', 'L93:687.swap.body.2'): 'the accept branch does not touch warnings: extending them before '
                                                   'or after it gives the same list',
    ('install/_host_plan', 'L97:732.swap.body.0'): 'the completion entry and the My entry of the state after are '
                                                   'separate lists',
    ('install/_host_plan', 'L97:732.swap.body.1'): 'adding to My and filtering REQUEST of the state after touch '
                                                   'different keys',
    ('install/_host_plan', 'L104:851.drop.1'): 'an accept needs a pending request (install/_complete plan_completion), '
                                               'read from the REQUEST store the state after copies (L84): it is a '
                                               'non-empty list there',
    ('install/_host_plan', 'L106:879.swap.body.1'): 'order of two refusals (certificate unusable in its store / '
                                                    'binding refused): plan() is pure and both raise before anything '
                                                    'is planned; only which message a doubly-wrong binding gets first',
    ('install/_host_plan', 'L106:879.swap.body.3'): 'appending the decision and applying it to the state after are '
                                                    'independent',
    ('install/_host_plan', 'L114:1005.true'): 'desired_binding() always asks for state "present" (L55), and plan() '
                                              'sets "after" for every present binding (install/_iis_binding plan)',
    ('plugin_utils/_install_apply', 'L73:372.swap.body.2'): 'order of two refusals (the export is another certificate / '
                                                            'the destination is a directory): both raise before the '
                                                            'file is written',
    ('plugin_utils/_install_apply', 'L73:372.swap.body.4'): 'writing the file and noting it in the answer are '
                                                            'independent (a failed write raises, dropping the answer)',
    **{('plugin_utils/_install_apply', mid): "read_pfx never answers has_private_key False: cryptography's "
                                             "load_pkcs12 returns as cert only the key's certificate, and a PFX "
                                             'without one is refused (see install/_pfx L92)'
       for mid in ('L76:408.drop.1', 'L79:448.true')},
    # action/hkpost_install (issue 21, third round)
    **{('action/hkpost_install', mid): "iis_bindings is a list option with default [] in ARGUMENT_SPEC: "
                                       "validate_argument_spec refuses null (\"is of type NoneType ... unable to convert "
                                       "to list\") and sets [] when absent, so `or []` never applies"
       for mid in ('L98:296.drop.1', 'L103:377.drop.1')},
    ('action/hkpost_install', 'L103:368.true'): 'on Exchange the bindings would ride in the certificate dicts, but '
                                                'plan_exchange_install never reads iis_bindings and the decision\'s '
                                                'bindings are set [] (L173)',
    **{('action/hkpost_install', mid): 'order of two refusals made before the host is read (retire_grace_days, '
                                       'services, retire_issuers; the check options, verify_server_name): both refuse, '
                                       'only which message a doubly-wrong task gets first'
       for mid in ('L106:392.swap.body.4', 'L106:392.swap.body.5', 'L112:437.swap.body.0')},
    ('action/hkpost_install', 'L133:630.swap.body.1'): 'keeping the session and adding it to the read\'s parameters '
                                                       'are independent',
    **{('action/hkpost_install', mid): 'sensitive_parameters {} and None are the same: no entry '
                                       '(_win_payload._sensitive_entries)'
       for mid in ('L137:690.drop.1', 'L357:3168.drop.1')},
    ('action/hkpost_install', 'L356:3138.drop.1'): 'exchange_session always answers a dict of sensitive parameters '
                                                   '({} without a username): never None',
    **{('action/hkpost_install', mid): 'retire_read always answers an exchange object with an error key '
                                       '(retire_read.ps1 $exchangeState), and masked() returns a non-text error '
                                       'unchanged: masking is a no-op unless there is an error text'
       for mid in ('L139:709.true', 'L139:710.swapop', 'L139:710.drop.0', 'L139:710.drop.1')},
    **{('action/hkpost_install', mid): 'retire_read always answers an exchange object (retire_read.ps1 '
                                       '$exchangeState): the non-dict branch is never taken'
       for mid in ('L141:749.true', 'L141:759.drop.1')},
    ('action/hkpost_install', 'L145:799.drop.1'): 'retire_read answers hybrid known: false only from its catch, with '
                                                  'error = $_.Exception.Message (retire_read.ps1): never None',
    ('action/hkpost_install', 'L156:878.drop.1'): 'chain.key_stores choices are My and WebHosting, the '
                                                  'RETIRE_STORES retire_read always answers as a list (@())',
    ('action/hkpost_install', 'L218:1715.drop.1'): 'not changed means no completion, binding, enable, backup to '
                                                   'write, retirement or chain step: the write path sends nothing '
                                                   '(_apply_iis returns with no steps, retire() and write_backups() '
                                                   'of nothing send nothing)',
    ('action/hkpost_install', 'L235:1848.drop.1'): 'with nothing to export the Items are empty: the payload exports '
                                                   'nothing, no password goes with empty Items (L363), and '
                                                   'keep_backups() of no backups writes nothing',
    ('action/hkpost_install', 'L238:1920.drop.1'): '_enable() reads {} and None alike ("exports or {}")',
    ('action/hkpost_install', 'L267:2171.swap.body.11'): 'reading the chain outcome and "problems = []" are '
                                                         'independent',
    ('action/hkpost_install', 'L290:2377.true'): 'Encryption and IncludeChain without an export step: iis_apply.ps1 '
                                                 'reads them only in its export step (Export-PfxItem)',
    ('action/hkpost_install', 'L298:2450.drop.1'): 'a done export step always answers @{ exports = ... } '
                                                   '(iis_apply.ps1 Export-PfxItem): never null',
    ('action/hkpost_install', 'L322:2749.drop.1'): 'answers is never None: ApplyFailed carries "answers or []" or '
                                                   'the answers list (plugin_utils/_served_check.apply_steps)',
    ('action/hkpost_install', 'L323:2780.drop.1'): 'only a failed step carries an error text (iis_apply.ps1 sets '
                                                   'error in its catch only): a done or skipped step never matches',
    ('action/hkpost_install', 'L324:2802.drop.1'): 'a failed step always carries error = $_.Exception.Message '
                                                   '(iis_apply.ps1): never None',
    ('action/hkpost_install', 'L390:3531.drop.1'): 'served_check with an empty server name asks the address anyway: '
                                                   'check_endpoint takes "server_name or host" '
                                                   '(audit/_served_chain.py L150)',
    # issue 21, third round: DCV and ACME challenge
    ('action/hkpost_dcv_token', 'L59:178.swap.body.1'): 'reading check mode and checking the options are independent',
    ('action/hkpost_dcv_token', 'L59:178.swap.body.2'): '_check_options and parse_date(as_of) only refuse and read '
                                                        'nothing the other sets: the order only picks which of two '
                                                        'bad options is named',
    ('action/hkpost_dcv_token', 'L59:178.swap.body.5'): 'reuse_report and check_port_map only refuse and read nothing '
                                                        'the other sets',
    ('action/hkpost_dcv_token', 'L59:178.swap.body.6'): 'check_port_map raises HkpostError, which HkpostAction.run '
                                                        '(plugin_utils/_action.py L70-71) fails without the result: '
                                                        'filling the result first is not seen',
    ('action/hkpost_dcv_token', 'L59:178.swap.body.7'): 'result.update and building the domains list are independent',
    ('action/hkpost_dcv_token', 'L157:1169.swap.body.2'): 'the published entry uses path only, not done: appending it '
                                                          'before or after the write is the same',
    ('action/hkpost_dcv_token', 'L157:1169.swap.body.3'): 'appending the published entry and setting changed are '
                                                          'independent',
    ('action/hkpost_dcv_token', 'L164:1274.drop.0'): 'entry["changed"] starts False (L75) and _publish_posix gives each '
                                                     'entry one path: "False or done[path]" is done[path]',
    ('action/hkpost_dcv_token', 'L166:1287.true'): 'ActionBase._remove_tmp_path(None) with no shell tmpdir removes '
                                                   'nothing (ansible/plugins/action/__init__.py: _should_remove_tmp_path '
                                                   'of None is falsy)',
    ('action/hkpost_dcv_token', 'L172:1348.drop.0'): 'ansible.builtin.stat of a missing path returns {"exists": False} '
                                                     'without a checksum (ansible/modules/stat.py): checksum == sha1 '
                                                     'implies exists',
    ('action/hkpost_dcv_token', 'L176:1374.swap.body.0'): 'creating the web directory on the target and making the '
                                                          'remote tmp directory are independent',
    ('action/hkpost_dcv_token', 'L197:1542.swap.body.3'): 'extending the warnings and collecting changed_dirs are '
                                                          'independent',
    ('action/hkpost_dcv_token', 'L214:1712.swap.body.1'): 'the placement dict is appended, then web_config set on it: '
                                                          'the same object',
    ('action/hkpost_dcv_token', 'L214:1712.swap.body.2'): 'appending the placement and setting changed are independent',
    ('action/hkpost_dcv_token', 'L244:2137.swap.body.2'): 'the published entry takes the zone from record, not entry: '
                                                          'setting entry["zone"] before or after is the same',
    ('action/hkpost_dcv_token', 'L258:2291.swap.body.2'): 'setting entry zone/_host and appending the record are '
                                                          'independent',
    ('action/hkpost_dcv_token', 'L266:2437.swap.body.3'): 'the published entry is a copy of done[key]: deleting '
                                                          'entry["_host"] before or after is the same',
    ('action/hkpost_dcv_token', 'L296:2800.true'): '`while True` -> `while True`: the same loop',
    ('action/hkpost_dcv_token', 'L304:2879.true'): 'the servers are worked out again from the same nameservers option '
                                                   '(or resolver configuration): the same list',
    ('action/hkpost_dcv_token', 'L307:2914.drop.1'): 'for method dns every entry has its zone before _verify: set at '
                                                     'L247 (rfc2136) and L261 (windows), so find_zone is never reached',
    ('action/hkpost_acme_challenge', 'L29:79.inc'): 'default timeout 10 s -> 11 s: a time limit, not a decision',
    ('action/hkpost_acme_challenge', 'L32:80.swap.body.0'): 'computing present and filling the result are independent',
    ('action/hkpost_acme_challenge', 'L55:314.swap.body.2'): 'the published entry does not depend on the update loop: '
                                                             'appending it first is the same result',
    ('action/hkpost_acme_challenge', 'L60:401.swap.body.0'): 'changed is set with the update; when update_txt raises, '
                                                             'HkpostAction.run fails without the result '
                                                             '(plugin_utils/_action.py L70-71)',
    ('action/hkpost_acme_challenge', 'L87:731.swap.body.2'): 'the published entry does not depend on the write loop: '
                                                             'appending it first is the same result',
    ('dcv/_http', 'L69:270.drop.1'): 'e.strerror alone: a gaierror always carries strerror (as dcv/_dns L70), so '
                                     '`or e` never applies',
    ('dcv/_caa', 'L55:148.true'): 'dnspython\'s CAA rdata holds tag as bytes (dns/rdtypes/ANY/CAA.py L37): the decode '
                                  'branch is the one always taken',
    ('dcv/_caa', 'L56:171.true'): 'dnspython\'s CAA rdata holds value as bytes (dns/rdtypes/ANY/CAA.py L40): the decode '
                                  'branch is the one always taken',
    ('dcv/_caa', 'L92:485.swap.body.1'): 'result.update and appending the accounturi warning are independent',
    ('dcv/_caa', 'L125:829.inc'): 'a loop guard: 16 or 17 CNAME hops, no resolver hands over a longer chain',
    ('dcv/_caa', 'L131:914.swapop'): 'the answer to a CAA query holds the CNAME chain and CAA only at its end (current): '
                                     'no CAA elsewhere, no other type at current',
    ('dcv/_caa', 'L131:914.drop.0'): 'the answer to a CAA query holds CAA only at the end of the CNAME chain (current)',
    ('dcv/_caa', 'L131:914.drop.1'): 'at the end of the CNAME chain the answer to a CAA query holds CAA only (the query '
                                     'asks no DNSSEC records)',
    ('dcv/_caa', 'L135:969.inc'): 'default timeout 5 -> 6 s: a time limit, not a decision',
    ('dcv/_caa', 'L149:1094.inc'): 'default timeout 5 -> 6 s: a time limit, not a decision',
    ('dcv/_caa', 'L140:1005.swap.body.0'): 'when _caa_at raises, check() (the only caller, L152) drops asked: recording '
                                           'the name before or after the lookup is the same',
    ('dcv/_schedule', 'L42:140.inc'): 'the first row starts at date.min, so the loop always replaces the default: '
                                      'table[0][1] or table[1][1] is never returned',
    ('dcv/_schedule', 'L90:356.true'): 'a period whose last day falls before its start gives a day earlier than the '
                                       'previous period\'s last (the periods shrink, DCV_REUSE_DAYS): max() drops it',
    ('dcv/_schedule', 'L91:371.true'): 'a later period that counts always ends later than an earlier one (its last day is '
                                       'on or after its start, after the earlier period\'s end): max() is the last',
    ('dcv/_preflight', 'L18:19.inc'): 'default timeout 5 -> 6 s: a time limit, not a decision',
    ('dcv/_preflight', 'L20:25.drop.0'): 'a Validator built but never used: its __init__ only stores its arguments '
                                         '(dcv/_dnssec.py L94-99)',
    ('dcv/_preflight', 'L22:61.swap.body.4'): 'the item is appended, then ok set on it: the same object',
    ('dcv/_preflight', 'L25:94.swap.body.2'): 'the CAA refusal goes to problems, the CAA warnings to warnings: '
                                              'independent lists',
    ('dcv/_dnssec', 'L58:44.inc'): "split(';', 2)[0] is split(';', 1)[0]: only the text before the first ';' is kept",
    ('dcv/_dnssec', 'L65:88.drop.0'): 'an empty rest: rest[0] raises IndexError inside the same try, refused with '
                                      'the same HkpostError as the rdtype lookup',
    ('dcv/_dnssec', 'L94:274.inc'): 'default timeout 5 -> 6 s: a time limit, not a decision',
    ('dcv/_dnssec', 'L103:332.inc'): 'EDNS buffer 1232 -> 1233 bytes: a size limit; a larger answer is retried over '
                                     'TCP (dcv/_dns _exchange on TC)',
    ('dcv/_dnssec', 'L118:469.drop.1'): 'the owner filter is for DNSKEY/DS answers (L157, L199), whose answer '
                                        'section holds records only at the zone asked',
    ('dcv/_dnssec', 'L200:1242.swap.body.1'): 'an unsigned DS and a zone with no DNSKEY both refuse: the order only '
                                              'picks which of the two is named',
    ('dcv/_dnssec', 'L226:1513.swap.body.0'): 'a bad NSEC signature and an NSEC listing DS both refuse: the order '
                                              'only picks which of the two is named',
    ('dcv/_dnssec', 'L272:1896.true'): "dnspython gives '.' for dns.name.root.to_text(omit_final_dot=True): the else "
                                       'branch says the same',
    ('dcv/_dnssec', 'L276:1955.inc'): 'bit 8: 0x80 >> 8 is 0, so the extra bit never matches',
    ('dcv/_dnssec', 'L228:1541.drop.0'): 'an NSEC3 owner is a hash label, never the zone name: the name test alone '
                                         'keeps NSEC only (RFC 5155 section 3)',
    # issue 21, third round: inventory and renewal report
    ('inventory/_fleet', 'L37:36.true'): (
        '_shared only makes equal strings one object (memory); the value returned is equal whichever '
        'branch: every field it is given (store, provider, issuer, generation, role, kind) is a str or '
        'None, both hashable'
    ),
    ('inventory/_fleet', 'L37:36.false'): (
        '_shared only makes equal strings one object (memory); the value returned is equal whichever '
        'branch: every field it is given (store, provider, issuer, generation, role, kind) is a str or '
        'None, both hashable'
    ),
    ('inventory/_fleet', 'L37:37.swapop'): (
        '_shared only makes equal strings one object (memory); the value returned is equal whichever '
        'branch: every field it is given (store, provider, issuer, generation, role, kind) is a str or '
        'None, both hashable'
    ),
    ('inventory/_fleet', 'L37:37.drop.0'): (
        '_shared only makes equal strings one object (memory); the value returned is equal whichever '
        'branch: every field it is given (store, provider, issuer, generation, role, kind) is a str or '
        'None, both hashable'
    ),
    ('inventory/_fleet', 'L37:37.drop.1'): (
        '_shared only makes equal strings one object (memory); the value returned is equal whichever '
        'branch: every field it is given (store, provider, issuer, generation, role, kind) is a str or '
        'None, both hashable'
    ),
    ('inventory/_fleet', 'L37:46.neg.0'): (
        '_shared only makes equal strings one object (memory); the value returned is equal whichever '
        'branch: every field it is given (store, provider, issuer, generation, role, kind) is a str or '
        'None, both hashable'
    ),
    ('inventory/_fleet', 'L37:46.edge.0'): (
        '_shared only makes equal strings one object (memory); the value returned is equal whichever '
        'branch: every field it is given (store, provider, issuer, generation, role, kind) is a str or '
        'None, both hashable'
    ),
    ('inventory/_fleet', 'L37:53.inc'): (
        '_shared only makes equal strings one object (memory); the value returned is equal whichever '
        'branch: every field it is given (store, provider, issuer, generation, role, kind) is a str or '
        'None, both hashable'
    ),
    ('inventory/_fleet', 'L41:69.true'): (
        "_day is called only with a present date (L121 checks not_after; a readable entry's not_before "
        'is always set by inventory/_host.describe L59, an unreadable one has no sha256 and _to_forecast'
        ' skips it at L197)'
    ),
    ('inventory/_fleet', 'L47:106.false'): (
        'a date falls through to fromisoformat(str(date)[:10]), which gives the same date back'
    ),
    ('inventory/_fleet', 'L71:237.drop.0'): (
        'for a list of results name is None: str(None) is what L93 makes of a result without host anyway'
    ),
    ('inventory/_fleet', 'L84:337.swap.body.8'): (
        'naming stale entries on their certificates and sorting the hosts touch different lists'
    ),
    ('inventory/_fleet', 'L84:337.swap.body.9'): (
        "sorting the hosts list and each entry's hosts list are independent"
    ),
    ('inventory/_fleet', 'L84:337.swap.body.13'): (
        "_to_forecast reads the stale entries' reason, sha256 and host, not their order"
    ),
    ('inventory/_fleet', 'L84:337.swap.body.14'): (
        'sorting the stale list and selecting the leaves touch different lists'
    ),
    ('inventory/_fleet', 'L92:453.swap.body.2'): (
        'the host row reads fields dict(result, host=host) does not change (host is already str at L93)'
    ),
    ('inventory/_fleet', 'L92:453.swap.body.3'): (
        'appending the host row and collecting its stale entries touch different lists'
    ),
    ('inventory/_fleet', 'L92:453.swap.body.4'): (
        'stale_for_host only reads the result; the certificate loop never writes stale'
    ),
    ('inventory/_fleet', 'L103:617.swap.body.4'): (
        'the held row and the hosts list are written to different lists of the entry'
    ),
    ('inventory/_fleet', 'L133:1039.swap.body.0'): (
        'the consumer entry and the SNI claim are written to different containers'
    ),
    ('inventory/_fleet', 'L162:1421.inc'): (
        'unreadable entries (days_left None) sort first at -10**6 or -11**6 alike: no certificate is a '
        'million days expired'
    ),
    ('inventory/_fleet', 'L162:1423.inc'): (
        'unreadable entries (days_left None) sort first at -10**6 or -10**7 alike: no certificate is a '
        'million days expired'
    ),
    ('inventory/_fleet', 'L197:1902.drop.3'): (
        'a readable entry (sha256 set) always has not_after (inventory/_host.describe L59); one with '
        'sha256 and no not_after already fails in _stale.stale_for_host L64'
    ),
    # issue 21, third round: notify and report actions
    ('notify/_message', 'L86:889.drop.1'): '"totals or {}" -> "totals": None and {} are both false, and totals is '
                                           'read only under "if totals" (L90)',
    ('notify/_message', 'L100:1080.inc'): 'warn_days default 30 -> 31: it only labels the to-renew dict '
                                          '(audit/_fleet_report.py to_renew "warn_days"), which renew_list never reads '
                                          '(only "certificates", L48-49); hkpost_notify always passes its own',
    ('notify/_message', 'L120:1277.inc'): 'fact names cut at 60 -> 61: every name is already shorter - rollout keys cut '
                                          'at 40 (L55), verdicts at 20 (L70), inventory names from the fixed "shown" (L87)',
    ('notify/_email', 'L26:8.swap.body.7'): 'X-Hkpost-Outcome set after set_content(): the same headers and body, only '
                                            'their order in the mail differs; headers are read by name',
    ('notify/_payloads', 'L56:277.inc'): 'a fact field cut at 2000 -> 2001: it is never that long - names are cut at 40 '
                                         'and values at 60 before (_message.py build, L55/L70/L120)',
    ('notify/_payloads', 'L94:686.swap.body.1'): 'update() before or after setting "facts": the update never holds a '
                                                 '"facts" key, so the same dict (JSON key order only)',
    ('notify/_webhook', 'L40:121.true'): 'an HTTPSHandler in the opener of an http:// URL is never used: urllib picks the '
                                         'handler by the request scheme (http_open is HTTPHandler\'s)',
    ('notify/_webhook', 'L45:173.swap.body.0'): 'status is set when the response headers are read (http.client begin()), '
                                                'before open() returns: reading the body first changes nothing',
    ('notify/_webhook', 'L46:193.inc'): 'read size 65536 -> 65537: the answer body is drained and discarded',
    ('notify/_webhook', 'L64:367.false'): WEBHOOK_2XX,
    ('notify/_webhook', 'L64:370.edge.1'): WEBHOOK_2XX,
    ('notify/_webhook', 'L64:376.inc'): WEBHOOK_2XX,
    ('action/hkpost_notify', 'L24:48.inc'): 'warn_days default 30 -> 31: it only labels the audit\'s to-renew dict '
                                            '(audit/_fleet_report.to_renew "warn_days"), which the message never reads',
    ('action/hkpost_notify', 'L51:208.swap.body.2'): 'result.update(outcome) after the errors block: the outcome has no '
                                                     'failed, msg or warnings key (_notify.notify L35), so nothing is '
                                                     'overwritten either way',
    ('action/hkpost_certificate_inventory', 'L22:30.swap.body.7'): 'changed=False before or after update(): '
                                                                   'host_inventory() returns no "changed" key '
                                                                   '(inventory/_host.py, its return)',
    ('action/hkpost_certificate_inventory', 'L31:111.drop.1'): 'sensitive {} (no username) instead of None: '
                                                               'run_payload reads both as no entries '
                                                               '(_win_payload.py _sensitive_entries "or {}", "if entries")',
    ('action/hkpost_certificate_inventory', 'L33:125.true'): INVENTORY_EXCHANGE,
    ('action/hkpost_certificate_inventory', 'L33:126.swapop'): INVENTORY_EXCHANGE,
    ('action/hkpost_certificate_inventory', 'L33:126.drop.0'): INVENTORY_EXCHANGE,
    ('action/hkpost_certificate_inventory', 'L33:126.drop.1'): INVENTORY_EXCHANGE,
    ('action/hkpost_fleet_report', 'L39:118.swap.body.7'): 'update(info) before or after the write loop: the loop '
                                                           'neither reads result nor info',
    ('action/hkpost_fleet_report', 'L39:118.swap.body.8'): 'the two result.update() calls touch different keys: info '
                                                           'holds summary, lines, at_or_above, to_renew, forecast or '
                                                           'counts (_report_files.py audit_files, inventory_files, '
                                                           'chain_files), never files, dest, title, changed or *_file',
    ('action/hkpost_fleet_report', 'L59:387.swap.body.1'): 'appending to "changed" before or after "written": two '
                                                           'different lists, each in file order either way',
    ('action/hkpost_fleet_report', 'L59:387.swap.body.2'): 'appending to "written" before or after naming the file: '
                                                           'independent, the same lists and dict either way',
    ('action/hkpost_fleet_report', 'L73:517.drop.0'): '"audit is None" dropped: None is no str, so it falls through '
                                                      'to "return audit" (L83) - None either way',
    ('action/hkpost_renewal_report', 'L56:315.swap.body.1'): 'the path joins "files" before or after it is written: if '
                                                             'the write raises the action fails and "files" is never '
                                                             'returned',
    ('action/hkpost_renewal_report', 'L62:348.swap.body.1'): 'writing the sheet and choosing the active hosts are '
                                                             'independent (neither reads the other)',
    ('action/hkpost_renewal_report', 'L77:548.swap.body.2'): 'writing renewal.json and result.update(summary, endpoints) '
                                                             'are independent',
    ('action/hkpost_renewal_report', 'L77:548.swap.body.3'): 'result.update(summary, endpoints) and result["lines"] set '
                                                             'different keys',
    ('action/hkpost_renewal_report', 'L86:689.swap.orelse.3'): 'writing install.json and result["summary"] = summary '
                                                               'are independent',
    # issue 21, fourth round: report files and renewal report
    ('_report_files', 'L43:82.drop.0'): 'str(True) / str(False) is not digits: "not text.isdigit()" refuses a bool too',
    ('_report_files', 'L48:117.swap.body.1'): FLEET_TITLE_IS_TEXT,
    ('_report_files', 'L48:117.swap.body.2'): FLEET_TITLE_IS_TEXT,
    ('_report_files', 'L85:530.swap.body.1'): FLEET_TITLE_IS_TEXT,
    ('_report_files', 'L48:127.inc'): FLEET_REPORT_PASSES_ALL,
    ('_report_files', 'L86:546.inc'): FLEET_REPORT_PASSES_ALL,
    ('_report_files', 'L86:547.inc'): FLEET_REPORT_PASSES_ALL,
    ('_report_files', 'L86:548.inc'): FLEET_REPORT_PASSES_ALL,
    ('_report_files', 'L117:830.flipbool'): FLEET_REPORT_PASSES_ALL,
    ('_report_files', 'L79:505.flipbool'): FLEET_READ_NAMES,
    ('_report_files', 'L80:521.flipbool'): FLEET_READ_NAMES,
    ('_report_files', 'L112:812.flipbool'): FLEET_READ_NAMES,
    ('_report_files', 'L70:371.drop.1'): 'to_renew always returns "certificates" as a list (audit/_fleet_report.py '
                                         'L153), so "or []" never applies',
    ('_report_files', 'L71:391.drop.0'): "hkpost_served_chain's summary total is len(endpoints) "
                                         '(audit/_served_chain.py summarise L406): the summary and the count agree',
    ('_report_files', 'L90:567.drop.1'): 'audit_index reads any false audit ({} or "") as no audit '
                                         '(inventory/_served.py L20-22), as None',
    ('_report_files', 'L90:573.drop.1'): 'build takes today only "if today" (inventory/_fleet.py L87): "" reads as None',
    ('_report_files', 'L123:834.false'): 'results is typed dict by the argument spec (hkpost_fleet_report.py L25; null '
                                         'is refused there), so it always has items()',
    ('_report_files', 'L134:1022.inc'): REPORT_JSON_FORMAT,
    ('_report_files', 'L134:1024.flipbool'): REPORT_JSON_FORMAT,
    ('report/_renewal_report', 'L34:11.drop.1'): RENEWAL_SPEC_REFUSES_NULL,
    ('report/_renewal_report', 'L35:23.drop.1'): RENEWAL_SPEC_REFUSES_NULL,
    ('report/_renewal_report', 'L138:884.drop.1'): RENEWAL_SPEC_REFUSES_NULL,
    ('report/_renewal_report', 'L146:989.drop.1'): RENEWAL_SPEC_REFUSES_NULL,
    ('report/_renewal_report', 'L52:147.flipbool'): RENEWAL_PASSES_CHECK_MODE,
    ('report/_renewal_report', 'L77:332.flipbool'): RENEWAL_PASSES_CHECK_MODE,
    ('report/_renewal_report', 'L82:363.flipbool'): RENEWAL_PASSES_CHECK_MODE,
    ('report/_renewal_report', 'L101:529.flipbool'): RENEWAL_PASSES_CHECK_MODE,
    ('report/_renewal_report', 'L120:719.flipbool'): RENEWAL_PASSES_CHECK_MODE,
    ('report/_renewal_report', 'L130:811.flipbool'): RENEWAL_PASSES_CHECK_MODE,
    ('report/_renewal_report', 'L142:935.flipbool'): RENEWAL_PASSES_CHECK_MODE,
    ('report/_renewal_report', 'L156:1091.flipbool'): RENEWAL_PASSES_CHECK_MODE,
    ('report/_renewal_report', 'L170:1181.flipbool'): RENEWAL_PASSES_CHECK_MODE,
    ('report/_renewal_report', 'L177:1214.flipbool'): RENEWAL_PASSES_CHECK_MODE,
    ('report/_renewal_report', 'L59:161.swap.body.1'): 'ran.append(host) before or after the host\'s rows: the loop '
                                                       'does not read ran, and if it raises ran is never returned',
    ('report/_renewal_report', 'L135:840.drop.1'): 'install None instead of {}: not a dict, so L136 makes it {}',
    ('report/_renewal_report', 'L136:850.drop.1'): RENEWAL_SKIPPED_INSTALL,
    ('report/_renewal_report', 'L148:1035.inc'): REPORT_JSON_FORMAT,
    ('report/_renewal_report', 'L148:1037.flipbool'): REPORT_JSON_FORMAT,
    ('report/_renewal_report', 'L188:1346.inc'): REPORT_JSON_FORMAT,
    ('report/_renewal_report', 'L188:1348.flipbool'): REPORT_JSON_FORMAT,
    # issue 21, fourth round: preflight, served chain action, dry run
    ('action/hkpost_preflight', 'L23:11.flipbool'): '_requires_connection True: ansible-core reads it only for a '
                                                    'persistent connection (executor/task_executor.py L1148-1162, '
                                                    'network_cli and the like); local, ssh, winrm and psrp connect '
                                                    'lazily, and run_hkpost never calls the connection',
    ('action/hkpost_preflight', 'L36:131.swap.body.11'): 'setting result["warnings"] before or after result.update(): '
                                                         'the update holds no "warnings" key (L65-66)',
    ('action/hkpost_preflight', 'L51:258.swap.body.0'): 'seen.add() and names.append() touch different objects and '
                                                        'neither reads the other',
    ('action/hkpost_preflight', 'L57:317.true'): 'anchor_source without dnssec_trust_anchor: the "else None" value is '
                                                 'always overwritten, as "if not text" (L58) then sets it again (L60)',
    ('action/hkpost_preflight', 'L67:458.true'): 'an empty warnings list: ansible-core pops the result\'s "warnings" '
                                                 'and puts it back only when there are some (executor/task_executor.py '
                                                 'L440-444, 2.19), so the registered result and the screen are the same',
    ('_dry_run', 'L36:82.drop.1'): '"rows or []" -> "rows": every caller\'s summary has a rows list '
                                   '(install/_summary.py summarize L92, chain/_summary.py summarize L67, '
                                   'request/_renewal_selection.py phase_summary_of L119)',
    # issue 21, fourth round: filter arguments
    ('plugin_utils/_filter_args', 'L48:210.swapop'): FILTER_MAPPING,
    ('plugin_utils/_filter_args', 'L48:210.drop.0'): FILTER_MAPPING,
    ('plugin_utils/_filter_args', 'L48:210.drop.1'): FILTER_MAPPING,
    ('plugin_utils/_filter_args', 'L62:315.drop.1'): '"options or {}": every filter documents its options, _input at '
                                                     'least (test_every_filter_documents_each_argument_it_takes), so '
                                                     'the fallback {} is never taken',
    ('plugin_utils/_filter_args', 'L78:461.swapop'): FILTER_ELEMENTS,
    ('plugin_utils/_filter_args', 'L78:461.drop.0'): FILTER_ELEMENTS,
    ('plugin_utils/_filter_args', 'L78:461.drop.1'): FILTER_ELEMENTS,
    ('plugin_utils/_filter_args', 'L88:539.swapop'): FILTER_ELEMENTS,
    ('plugin_utils/_filter_args', 'L88:539.drop.0'): FILTER_ELEMENTS,
    ('plugin_utils/_filter_args', 'L88:539.drop.1'): FILTER_ELEMENTS,
    ('plugin_utils/_filter_args', 'L94:576.drop.1'): '"description or \'\'": a missing one is None instead of \'\', '
                                                     'which is no list (L95) and as false as \'\' where L98 tests it: '
                                                     'the same empty text either way',
    ('plugin_utils/_filter_args', 'L96:596.true'): 'the else \'\' is for an empty list, which L94\'s "or \'\'" has '
                                                   'already turned into \'\' (an empty list is false): never reached',
    ('plugin_utils/_filter_args', 'L98:606.true'): 'every option has a non-empty description (test_every_option_has_a_'
                                                   'type_a_description_and_elements_only_for_a_list; ansible-test '
                                                   'requires one), so the condition is always true',
    ('plugin_utils/_filter_args', 'L122:746.true'): 'every parameter of every filter is documented (test_every_filter_'
                                                    'documents_each_argument_it_takes), so "option in options" is '
                                                    'always true',
    # issue 21, fourth round: run check
    ('action/hkpost_run_check', 'L23:39.flipbool'): 'ansible-core reads _requires_connection only for a connection that '
                                                    'supports persistence (task_executor.py, the persistent-connection '
                                                    'branch before the handler is built); roles/run_check runs the '
                                                    'action with ansible_connection local, which does not',
    ('action/hkpost_run_check', 'L41:128.swap.body.13'): 'extending result["warnings"] and result.update(changed, hosts, '
                                                         'warnings_found) set different keys',
    ('action/hkpost_run_check', 'L45:158.drop.1'): 'split_host_pattern() is [] only for a pattern with no part ("", '
                                                   '","), whose get_hosts() is every host (order_patterns() makes no '
                                                   'regular part "all"): the term matches what targeted holds, and an '
                                                   'inventory without hosts is refused by "selects no host" instead',
    ('action/hkpost_run_check', 'L52:264.true'): 'InventoryManager.subset("") stores split_host_pattern("") == [], '
                                                 'which get_hosts() treats as no subset ("if self._subset")',
    ('action/hkpost_run_check', 'L63:390.swap.body.0'): '"known = None" and appending the warning are independent',
    ('_run_check', 'L65:177.drop.1'): 'hkpost_run_check gives every targeted host an entry (host_variables[host] for '
                                      'host in targeted): .get(host) is never None',
    ('_run_check', 'L67:196.drop.1'): 'hkpost_run_check passes only the hkpost_* names of a host (its '
                                      'str(n).startswith("hkpost_") filter): the test is always true',
    ('_run_check', 'L78:335.inc'): 'get_close_matches n=1 -> 2: only guess[0] is read, and the best match comes first',
    ('_run_check', 'L85:414.inc'): 'get_close_matches n=1 -> 2: only close[0] is read, and the best match comes first',
    # issue 21, fourth round: inventory host
    ('inventory/_host', 'L52:201.drop.1'): 'an entry without DER is listed unreadable either way: b64decode(None) '
                                           'raises TypeError, caught by the same except (ValueError, TypeError) as '
                                           'cryptography\'s ValueError for b"" (L53); and the payload always sends der '
                                           '(_preludes/machine_stores.ps1 ConvertTo-StoreEntry, ToBase64String(RawData))',
    ('inventory/_host', 'L67:288.drop.1'): 'binding_information is never null: the payload sends '
                                           '$binding.BindingInformation for every https binding (_preludes/'
                                           'iis_bindings.ps1 Read-IisSite), the string IIS keeps its endpoint in; '
                                           'install/_iis_binding.py current_bindings parses the same field unguarded',
    ('inventory/_host', 'L69:320.drop.1'): 'ssl_flags is never null: the payload sends '
                                           '[int]$binding.GetAttributeValue("sslFlags") (_preludes/iis_bindings.ps1 '
                                           'Read-IisSite)',
    ('inventory/_host', 'L78:394.true'): 'the port of an endpoint is always digits: IIS binding information '
                                         '"IP:PORT:HOST" split from the right (L67-68) and http.sys mapping keys '
                                         '"IP:PORT" / "HOST:PORT" (_preludes/iis_bindings.ps1 Read-SslMapping, '
                                         'PSChildName) both end with the port',
    ('inventory/_host', 'L89:506.swap.body.3'): 'looking the mapping up and marking the endpoint explained are '
                                                'independent: one reads mappings, the other writes explained',
    ('inventory/_host', 'L89:506.swap.body.4'): 'marking the endpoint explained and appending the consumer are '
                                                'independent: explained is read only after the loop (L103)',
    ('inventory/_host', 'L89:509.drop.1'): 'a site\'s bindings are never null: the payload sends '
                                           '@(foreach ...) (_preludes/iis_bindings.ps1 Read-IisSite), an empty '
                                           'array when a site has no https binding',
    ('inventory/_host', 'L91:544.drop.1'): 'ssl_flags is never null, as for L69: [int]$binding.GetAttributeValue'
                                           '("sslFlags") (_preludes/iis_bindings.ps1 Read-IisSite)',
    ('inventory/_host', 'L91:552.inc'): 'only a falsy sslFlags takes the default: 0 & 2 == 1 & 2 == 0 (no Centralized '
                                        'Certificate Store either way)',
    ('inventory/_host', 'L138:1048.drop.1'): 'str() of any falsy transport ("", None, 0) upper-cased is never '
                                             '"HTTPS": not an HTTPS listener either way',
    ('inventory/_host', 'L142:1113.drop.1'): 'the payload sends the WinRM port as [string]$item.Value or null '
                                             '(_preludes/host_consumers.ps1): a falsy port is "" or None, and '
                                             'str(None) = "None" is no more digits than "" - no ports either way',
    ('inventory/_host', 'L187:1527.drop.1'): 'a personal certificate without a thumbprint indexed under None is never '
                                             'looked up: consumers without a thumbprint are skipped first (L191-192) '
                                             'and _thumbprint() gives None, never ""',
    ('inventory/_host', 'L194:1595.true'): 'a consumer without a store filters on "none", which no store in STORES '
                                           '(L28) is: the filter is empty and "or held" keeps every personal store, '
                                           'as without the filter',
    # issue 21, fourth round: inventory report
    ('inventory/_report', 'L58:310.drop.1'): (
        'the CSV generation cell: "or \'\'" dropped leaves None or \'\' (a generation is a str or None, '
        'inventory/_fleet.py L116), and every cell goes through audit/_fleet_report.py _csv_cell, which writes None as \'\' (L167)'),
    ('inventory/_report', 'L60:338.drop.1'): (
        'the CSV key_provider cell: "or \'\'" dropped leaves None, which _csv_cell writes as \'\' '
        '(audit/_fleet_report.py L167)'),
    ('inventory/_report', 'L60:346.false'): (
        'the CSV exportable cell: forced to held["exportable"] gives None where the branch gave \'\', and _csv_cell '
        'writes None as \'\' (audit/_fleet_report.py L167); True and False are written the same either way'),
    ('inventory/_report', 'L88:625.true'): (
        'a row with no class gets class="" instead of no class attribute: an empty class matches none of the page\'s '
        'row selectors (tr.in-use, tr.unread, the s-<status> rows), so it looks and sorts the same'),
    ('inventory/_report', 'L125:1057.inc'): (
        'max(1, weeks) vs max(2, weeks) differ only for a one-week forecast: the only caller '
        '(_report_files.inventory_files L90) builds with the default WEEKS = 52 (inventory/_forecast.py L33, '
        '_fleet.build L85/L167), and with no weeks no bar is drawn whatever the width'),
    ('inventory/_report', 'L147:1326.inc'): (
        'a week start is date.isoformat() (inventory/_forecast.py L90), always 10 characters: [8:11] is [8:10]'),
    ('inventory/_report', 'L193:1942.inc'): (
        'the Days left sort value of a certificate whose expiry was not read: -99999 and -100000 both sort below '
        'every real days_left; a not_after more than 273 years before today would need a year before 1950, '
        'which X.509 validity cannot carry in UTCTime and RFC 5280 4.1.2.5 forbids in GeneralizedTime'),
    ('inventory/_report', 'L217:2267.inc'): (
        'the Problems sort value of an unread host is exactly the constant (it has no sources and no dangling '
        'consumers, inventory/_fleet.py L95-96): 1000 or 1001 both put it above every read host with fewer than '
        '1000 failed sources and dangling consumers; the page order is the same'),
    ('inventory/_report', 'L257:2497.drop.1'): (
        'a served-but-not-held entry always has a sha256 (inventory/_fleet.py L153 lists an endpoint only '
        '"if endpoint[\'sha256\'] and ..."), so "or \'\'" never applies'),
    # issue 21, fourth round: audit fetch and errors
    ('audit/_fetch', 'L63:109.drop.1'): 'the "or (\'127.0.0.1\',)" fallback is defensive: asyncio sets "sockname" from '
                                        'getsockname() when the transport is made (selector_events.py _SelectorTransport '
                                        '__init__) and it is None only if that call failed on a socket that just connected',
    ('audit/_fetch', 'L67:139.swap.body.0'): 'ServerFlight() only sets up empty buffers (_tls_fetch.py ServerFlight) and '
                                             'writer.write() only queues the hello: neither reads the other',
    ('audit/_fetch', 'L70:161.true'): '"while True" -> True: the same condition',
    ('audit/_fetch', 'L71:172.inc'): 'read size 65536 -> 65537: ServerFlight.feed buffers across reads, any chunking gives '
                                     'the same flight (test_fetch_rules.py: a flight in 64-byte pieces reads whole)',
    ('audit/_fetch', 'L82:228.drop.1'): 'the "or (endpoint[\'host\'],)" fallback is defensive: "peername" is None only if '
                                        'getpeername() failed when the transport was made (selector_events.py '
                                        '_SelectorTransport __init__), i.e. the peer was gone before the first byte',
    ('audit/_fetch', 'L83:250.drop.1'): 'key (ip, None) instead of (ip, "none") for direct TLS: a label in Tls12Memory\'s '
                                        'dict only, still distinct from "smtp", "imap" and "pop3"',
    ('audit/_fetch', 'L104:413.swap.finalbody.0'): 'memory.learned() only sets a dict entry and an asyncio.Event '
                                                   '(_tls12_memory.py learned); abort() closes this endpoint\'s socket; '
                                                   'neither reads the other and waiters resume only at their next await',
    ('audit/_fetch', 'L105:415.drop.1'): 'memory is never given with full=True: _fetch_all makes one only for "auto" '
                                         '(L153) and the retry (L145) passes none',
    ('audit/_fetch', 'L113:492.drop.1'): '"and plan == READER" is implied where refused is read: learned() runs only when '
                                         'probing (L125), and memory.plan() returns probing=True only with READER '
                                         '(_tls12_memory.py plan)',
    ('audit/_fetch', 'L115:510.true'): 'refused is read only when probing (L125), and probing implies plan READER '
                                       '(_tls12_memory.py plan): False either way',
    ('audit/_fetch', 'L141:651.drop.0'): 'in full mode no failure is marked refused_tls12: the plan is FULL throughout '
                                         '(L103, no memory), so ServerFlight (_tls_fetch.py eof/_alert, the only raiser '
                                         'with refused_tls12=True) never runs, and L123 requires plan == READER',
    ('audit/_fetch', 'L153:751.true'): 'a memory in full mode is never consulted: _attempt reads it only when not full '
                                       '(L105)',
    ('audit/_fetch', 'L164:830.swap.body.5'): 'the loop used only as its default executor the pool made on L175; '
                                              'without it asyncio makes its own, and loop.close() shuts that down '
                                              'without waiting too (base_events.py BaseEventLoop.close, '
                                              'shutdown(wait=False)); setting ours on the closed loop afterwards is '
                                              'harmless and it is shut down by L181',
    ('audit/_fetch', 'L164:837.inc'): 'fetch_many\'s concurrency default 200 -> 201: speed only (on_result gets each '
                                      'endpoint\'s index); its one caller, audit_endpoints, always passes its own '
                                      '(_served_chain_audit.py L60-61)',
    ('audit/_fetch', 'L171:839.false'): 'an empty list without the early return: _fetch_all starts max(1, min(c, 0)) = 1 '
                                        'worker that finds no endpoint; on_result is never called, None is returned',
    ('audit/_fetch', 'L175:877.inc'): 'resolver pool size (32 -> 33 threads): how many lookups run at once, speed only',
    ('audit/_fetch', 'L175:881.inc'): 'resolver pool size (at least 4 -> 5 threads): speed only',
    ('audit/_fetch', 'L175:886.inc'): 'resolver pool size (concurrency // 8 -> // 9 threads): speed only',
    ('audit/_fetch', 'L178:897.swap.finalbody.0'): 'two non-waiting shutdowns in either order: loop.close() also shuts '
                                                   'the default executor down with wait=False (base_events.py '
                                                   'BaseEventLoop.close)',
    ('audit/_fetch', 'L181:930.flipbool'): 'cancel_futures is defensive: by the time run_until_complete returns every '
                                           'lookup\'s asyncio future is done or was cancelled by wait_for\'s timeout, '
                                           'and cancelling it cancels the queued pool future (asyncio/futures.py '
                                           '_chain_future, _call_check_cancel): nothing is left queued',
    ('audit/_served_chain_audit', 'L43:136.inc'): 'concurrency default 200 -> 201: how many endpoints are fetched at '
                                                  'once; results are stored by index (L58), speed only; '
                                                  'hkpost_served_chain passes its own (action DOCUMENTATION default)',
    ('audit/_served_chain_audit', 'L60:323.drop.1'): 'ehlo_name "" passed on instead of None: _fetch.py L95 '
                                                     '"options.ehlo_name or _address_literal(writer)" reads both as no name',
    ('audit/_tls_errors', 'L18:4.swap.body.0'): 'Exception.__init__(cause) sets only args; self.code is another '
                                                'attribute: the same exception in either order',
    ('audit/_tls_errors', 'L27:58.drop.1'): 'the "or exc" fallback is defensive: socket.getaddrinfo raises gaierror '
                                            'always as (code, gai_strerror(code)) (CPython socketmodule.c set_gaierror), '
                                            'so strerror is never empty',
    # issue 21, fourth round: controller input, files and argument types
    ('plugin_utils/_controller_input', 'L20:18.true'): 'content is type str in both callers\' ARGUMENT_SPEC '
                                                       '(exchange_cert.py L60, hkpost_complete_request.py L33): '
                                                       'validated args never hold bytes, so the else branch is unused',
    ('plugin_utils/_controller_input', 'L20:18.false'): 'text passed on unencoded: its only reader, split_leaf -> '
                                                        'load_certificates, encodes str as UTF-8 itself (pki/_pem.py '
                                                        '_as_bytes L57-58)',
    ('plugin_utils/_controller_input', 'L34:89.drop.0'): 'a path that is not text never arrives: every caller passes '
                                                         'a type path option (check_type_path returns str; '
                                                         'hkpost_pfx.py L37, hkpost_install.py L58, _chain_inputs) '
                                                         'or a str checked by hkpost_intake.py L69',
    ('_controller_files', 'L21:8.drop.0'): 'a destination that is not text never arrives: every caller passes a type '
                                           'path option (exchange_cert.py L57, hkpost_pfx.py L36, '
                                           'hkpost_fleet_report.py L21, _install_checks.py L25) or an os.path.join '
                                           'of one',
    ('_controller_files', 'L31:148.drop.0'): 'parent is the dirname of an absolute path (L23 abspath), never "": '
                                             'the "parent and" test is always true',
    ('_controller_files', 'L33:183.false'): 'the climb starts at an absolute path and "/" always exists, so the while '
                                            'test ends the loop before dirname reaches its fixed point: the break is '
                                            'never taken (the controller is POSIX)',
    ('_controller_files', 'L35:192.drop.0'): 'parent is never "" (L23 abspath, see L31)',
    ('_controller_files', 'L35:192.drop.1'): 'after the loop parent exists: the loop runs until it does, and the break '
                                             'could only fire at "/", which exists',
    ('_controller_files', 'L63:365.swap.body.0'): 'chmod of the mkstemp file before or after writing its content: '
                                                  'the same bytes and mode when os.replace moves it',
    ('_controller_files', 'L69:409.true'): 'the temporary file always exists when the except runs: mkstemp made it '
                                           'before the try and os.replace, the only step that moves it, is the last '
                                           'one (when it raises, the file is still there)',
    ('plugin_utils/_arg_types', 'L47:90.drop.0'): '"EncryptedString and" is redundant: isinstance(value, ()) is False '
                                                  'on the pre-2.19 fallback anyway, and on 2.19 the class is truthy',
    # issue 21, fourth round: idn spoof and Exchange session
    ('pki/_idn_spoof', 'L33:7.true'): (
        'loading confusable_homoglyphs on every call instead of once: a repeated import returns the module cached in '
        'sys.modules and writes the same two objects into _LIBRARY (or the same missing=True when it is absent), so '
        'every check gives the same answer'),
    ('pki/_idn_spoof', 'L75:298.true'): (
        'the whole-script check run on every label: with no scripts there are no letters, so "letters and" (L79) '
        'refuses nothing; a label with a Latin letter is never refused there either, as is_confusable skips a '
        'character whose script is in preferred_aliases (confusable_homoglyphs/confusables.py "if char_alias in '
        'preferred_aliases: continue"), so that letter is never in lookalike and all() (L79) is False'),
    ('pki/_idn_spoof', 'L75:299.swapop'): (
        '"scripts or LATIN not in scripts": a label with a Latin letter now reaches the whole-script check, which '
        'cannot refuse it (its Latin letter is skipped by is_confusable with preferred_aliases=[latin], '
        'confusable_homoglyphs/confusables.py, so all() at L79 is False); see L75:298.true'),
    ('pki/_idn_spoof', 'L75:299.drop.0'): (
        'an empty scripts set reaches the whole-script check: letters (L76) keeps exactly the characters whose script '
        'is not ignored, the ones scripts is made of (L50), so letters is empty and "letters and" (L79) refuses nothing'),
    ('pki/_idn_spoof', 'L75:299.drop.1'): (
        'a label with a Latin letter reaches the whole-script check and is not refused: is_confusable with '
        'preferred_aliases=[latin] skips Latin characters (confusable_homoglyphs/confusables.py), so not every letter '
        'is a look-alike (L79); see L75:298.true'),
    ('pki/_idn_spoof', 'L79:365.drop.0'): (
        '"letters and" dropped: L75 lets only a non-empty scripts set through, and letters (L76) is empty exactly when '
        'scripts (L50, the same filter on the same characters) is, so all() never sees an empty list'),
    ('plugin_utils/_exchange_session', 'L41:85.true'): (
        'templating an unset hkpost_exchange_second_hop: ansible-core Templar.template(None) returns None '
        '(ansible/template/__init__.py: data that is not a template is returned as is), which L43 turns into auto'),
    ('plugin_utils/_connection_auth', 'L21:25.false'): (
        'an unset option given as None instead of its default: every caller treats None as its default - transport '
        '"or ()" (L28), remote_user "or \'\'" (L32), _extras "or {}" (L35), boolean(None, strict=False) is False (L37, '
        'L42), bool(None) is False (L59) - and psrp\'s auth is never None: psrp.py declares "default: negotiate", '
        'which ansible-core also applies to ansible_psrp_auth set to null'),
    ('plugin_utils/_connection_auth', 'L26:47.false'): (
        'a comma-separated transport string is never seen: the winrm plugin declares transport "type: list" '
        '(ansible/plugins/connection/winrm.py), and set_options (TaskExecutor._set_connection_options) converts '
        '"ntlm, kerberos" to [\'ntlm\', \'kerberos\'] before the action plugin runs'),
    ('plugin_utils/_connection_auth', 'L35:127.drop.1'): (
        '"or {}" after _option(..., \'_extras\', {}): _option already returns the default {} for None (L21), and any '
        'other falsy _extras is an empty dict whose .get gives the same False'),
    ('plugin_utils/_connection_auth', 'L48:216.true'): (
        'a connection whose transport is not a string: ConnectionBase declares transport an abstract property '
        '"-> str" (ansible/plugins/connection/__init__.py), so no connection plugin can be instantiated without '
        'one; every ansible-core plugin sets a string (winrm, psrp, ssh, local ...)'),
    ('plugin_utils/_connection_auth', 'L48:231.inc'): (
        'rsplit(".", 2)[-1] and rsplit(".", 1)[-1] are the same last component'),
    ('plugin_utils/_connection_auth', 'L54:275.flipbool'): (
        'delegates of an unknown connection is never read: install/_exchange_hop.py second_hop returns "unknown" '
        '(or credssp, declared) for plugin None before it reads delegates, and auth [] fails "auth & {kerberos, '
        'negotiate}" anyway'),
    ('plugin_utils/_connection_auth', 'L58:301.drop.1'): (
        '"or \'\'" dropped: a become plugin without a name gives str(None) == "None", which is not "runas" either'),
    ('plugin_utils/_connection_auth', 'L58:313.inc'): (
        'rsplit(".", 2)[-1] and rsplit(".", 1)[-1] are the same last component'),
    ('plugin_utils/_connection_auth', 'L42:199.flipbool'): (
        'boolean(strict=True) on negotiate_delegate: psrp.py declares it "type: bool", so set_options has already '
        'made it True, False or None (ansible-core converts "maybe" to False), and _option turns None into False; '
        'strict only matters for a value outside the booleans, which cannot arrive'),
    # issue 21, fourth round: action base and payload runner
    ('plugin_utils/_win_payload', 'L57:100.swap.body.0'): 'Exception.__init__(message) sets only args; self.name is '
                                                          'another attribute: the same exception in either order',
    ('plugin_utils/_win_payload', 'L107:358.false'): 'without the early return a text with no declaration still '
                                                     'comes back whole: the loop (L111) runs zero times and '
                                                     '"".join([text[0:]]) is the text',
    ('plugin_utils/_win_payload', 'L122:512.true'): 'indenting blank prelude lines too only adds spaces to lines '
                                                    'PowerShell skips; the one place they would count, a here-string, '
                                                    'is never indented (L119 refuses it)',
    ('plugin_utils/_win_payload', 'L111:393.swap.body.3'): 'seen.add(prelude) before or after the here-string check: '
                                                           'when the check raises, compose stops and seen is never read',
    ('plugin_utils/_win_payload', 'L113:427.edge.0'): 'a declaration cannot start where param() ends: _PARAM_BLOCK '
                                                      '(L47) ends just after a ")", and _PRELUDE_LINE (L42) starts '
                                                      'only at a line start (^, re.M), so "<" and "<=" agree',
    ('plugin_utils/_win_payload', 'L137:640.drop.1'): 'a missing msg as None instead of "": the join (L143) keeps only '
                                                      '"m and m.strip()", which drops both',
    ('plugin_utils/_win_payload', 'L140:677.drop.2'): 'a record with neither output nor message as None instead of '
                                                      '"": the join (L143) drops both',
    ('plugin_utils/_win_payload', 'L143:728.drop.0'): 'every message is a str (L137 "or \'\'", L140 "or \'\'", L142 '
                                                      'str()), so "m and m.strip()" is "m.strip()"',
    ('plugin_utils/_win_payload', 'L170:831.swap.body.0'): 'appends to two different lists (entries, secrets): '
                                                           'either order gives the same lists',
    ('plugin_utils/_win_payload', 'L170:831.swap.orelse.0'): 'appends to two different lists (entries, secrets): '
                                                             'either order gives the same lists',
    ('plugin_utils/_win_payload', 'L181:929.drop.1'): 'parameters None instead of {}: win_powershell binds them only '
                                                      '"if ($module.Params.parameters)" (ansible.windows 3.3.0 '
                                                      'win_powershell.ps1 L806), false for both',
    ('plugin_utils/_win_payload', 'L183:947.true'): 'an empty sensitive_parameters list sent: win_powershell reads '
                                                    'it only "if ($module.Params.sensitive_parameters)" (ansible.'
                                                    'windows 3.3.0 win_powershell.ps1 L811), false for an empty list',
    ('plugin_utils/_win_payload', 'L188:1006.drop.1'): 'output None instead of []: "if not output" (L189) refuses '
                                                       'both with the same message',
}

OPS_NEG = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE,
           ast.LtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
OPS_EDGE = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}
SYMBOL = {ast.Eq: '==', ast.NotEq: '!=', ast.Lt: '<', ast.LtE: '<=', ast.Gt: '>', ast.GtE: '>=', ast.In: 'in',
          ast.NotIn: 'not in', ast.Is: 'is', ast.IsNot: 'is not'}


def _skipped_lines(source):
    return {i for i, line in enumerate(source.splitlines(), 1) if 'pragma: no mutate' in line}


def _mutable_nodes(tree):
    """Nodes in a fixed order, leaving out imports, import guards and docstrings."""
    out = []

    def visit(node, inside):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return
        if isinstance(node, ast.Try) and not inside:
            return  # module-level optional-import guards
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            return  # docstrings
        if isinstance(node, ast.JoinedStr):
            return  # messages
        out.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child, inside or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))

    visit(tree, False)
    return out


def _is_docstring(stmt):
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _is_bare_call(stmt):
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)


def _variants(node):
    """(variant key, description) for every mutation of this node."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            t = type(op)
            yield ('neg', i), '%s -> %s' % (SYMBOL[t], SYMBOL[OPS_NEG[t]])
            if t in OPS_EDGE:
                yield ('edge', i), '%s -> %s' % (SYMBOL[t], SYMBOL[OPS_EDGE[t]])
    elif isinstance(node, ast.BoolOp):
        name = 'and' if isinstance(node.op, ast.And) else 'or'
        yield ('swapop',), '%s -> %s' % (name, 'or' if name == 'and' else 'and')
        for i in range(len(node.values)):
            yield ('drop', i), 'drop operand %d of %s' % (i + 1, name)
    elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
        kind = type(node).__name__.lower()
        yield ('true',), '%s condition -> True' % kind
        yield ('false',), '%s condition -> False' % kind
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield ('dropnot',), 'drop not'
    elif isinstance(node, ast.Return) and isinstance(node.value, (ast.Compare, ast.BoolOp)) or (
            isinstance(node, ast.Return) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, bool)):
        yield ('negret',), 'return not (...)'
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield ('flipbool',), '%s -> %s' % (node.value, not node.value)
    elif isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        yield ('inc',), '%d -> %d' % (node.value, node.value + 1)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        yield ('addsub',), '+ <-> -'
    for field in ('body', 'orelse', 'finalbody'):
        stmts = getattr(node, field, None)
        if isinstance(stmts, list):
            for i in range(len(stmts) - 1):
                a, b = stmts[i], stmts[i + 1]
                if _is_docstring(a) or _is_docstring(b):
                    continue  # moving a docstring changes __doc__, not behaviour
                if (_is_bare_call(a) or _is_bare_call(b)) and not isinstance(b, (ast.Return, ast.Raise)):
                    yield ('swap', field, i), 'swap statements at lines %d and %d' % (a.lineno, b.lineno)


def _apply(node, key):
    """Mutate ``node`` in place (or return a replacement node)."""
    kind = key[0]
    if kind == 'neg':
        node.ops[key[1]] = OPS_NEG[type(node.ops[key[1]])]()
    elif kind == 'edge':
        node.ops[key[1]] = OPS_EDGE[type(node.ops[key[1]])]()
    elif kind == 'swapop':
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == 'drop':
        rest = [v for i, v in enumerate(node.values) if i != key[1]]
        return rest[0] if len(rest) == 1 else ast.BoolOp(op=node.op, values=rest)
    elif kind in ('true', 'false'):
        node.test = ast.Constant(kind == 'true')
    elif kind == 'dropnot':
        return node.operand
    elif kind == 'negret':
        node.value = ast.UnaryOp(op=ast.Not(), operand=node.value)
    elif kind == 'flipbool':
        node.value = not node.value
    elif kind == 'inc':
        node.value = node.value + 1
    elif kind == 'addsub':
        node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
    elif kind == 'swap':
        stmts = getattr(node, key[1])
        i = key[2]
        stmts[i], stmts[i + 1] = stmts[i + 1], stmts[i]
    return node


def _where(source, node, key):
    """What a mutant changes, quoted from the source: an id names only a line, and a line may hold two conditions
    (``[int(port)] if port.isdigit() else []`` and ``... if kind == 'hostnameport' else None``) or two ``False``."""
    if key[0] == 'swap':
        return ''  # its description names both statements' lines
    target = node.test if isinstance(node, (ast.If, ast.While, ast.IfExp)) else node
    text = ' '.join((ast.get_source_segment(source, target) or '').split())
    if isinstance(node, ast.Constant):
        return ' (column %d)' % (node.col_offset + 1)
    return ' in `%s`' % (text if len(text) <= 60 else text[:57] + '...') if text else ''


def mutants(source):
    """Every mutant of ``source`` as (id, line, description); id = 'L<line>:<n>.<variant>'."""
    tree = ast.parse(source)
    skipped = _skipped_lines(source)
    out = []
    for n, node in enumerate(_mutable_nodes(tree)):
        line = getattr(node, 'lineno', 0)
        if line in skipped:
            continue
        for key, desc in _variants(node):
            out.append(('L%d:%d.%s' % (line, n, '.'.join(str(k) for k in key)), n, key, line,
                        desc + _where(source, node, key)))
    return out


def probe_lines(source):
    """Per mutant id, the lines whose execution it needs to change anything: the node's own lines (its whole span, as
    a condition written over several lines runs from its later lines), for a swap the two statements' lines, for an
    ``if``/``while`` its header up to the end of its test."""
    tree = ast.parse(source)
    spans = {}
    for n, node in enumerate(_mutable_nodes(tree)):
        first = getattr(node, 'lineno', 0)  # the module itself has none: only its statement swaps are mutants
        for key, _desc in _variants(node):
            if key[0] == 'swap':
                stmts = getattr(node, key[1])
                pair = stmts[key[2]:key[2] + 2]
                lines = set().union(*(range(s.lineno, (s.end_lineno or s.lineno) + 1) for s in pair))
            elif isinstance(node, (ast.If, ast.While)) and key[0] in ('true', 'false'):
                lines = set(range(first, (node.test.end_lineno or first) + 1))
            else:
                lines = set(range(first, (getattr(node, 'end_lineno', None) or first) + 1))
            spans['L%d:%d.%s' % (first, n, '.'.join(str(k) for k in key))] = lines
    return spans


def select_tests(lines, coverage, mapped):
    """The tests to run first for a mutant touching ``lines``, quickest first; ``mapped`` if code run outside any test
    (an import, a session fixture) is touched; [] if no test executes those lines."""
    if lines & set(coverage['outside']):
        return list(mapped)
    hit = [test for test, ran in coverage['tests'].items() if lines & ran]
    return sorted(hit, key=lambda test: coverage['seconds'].get(test, 0.0))


def mutate(source, n, key):
    tree = ast.parse(source)
    nodes = _mutable_nodes(tree)
    target = nodes[n]
    replacement = _apply(target, key)
    if replacement is not target:
        for parent in ast.walk(tree):
            for field, value in ast.iter_fields(parent):
                if value is target:
                    setattr(parent, field, replacement)
                elif isinstance(value, list):
                    for i, item in enumerate(value):
                        if item is target:
                            value[i] = replacement
    return ast.unparse(ast.fix_missing_locations(tree)) + '\n'


# ---- running -------------------------------------------------------------------------------------


def _copy_checkout(dest):
    files = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard', '-z'], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split('\0')
    for rel in filter(None, files):
        src = os.path.join(ROOT, rel)
        if rel.startswith(('.venv', 'collections/')) or not os.path.lexists(src):
            continue
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.islink(src):
            os.symlink(os.readlink(src), target)
        elif os.path.isfile(src):
            shutil.copy2(src, target)
    link = os.path.join(dest, 'collections/ansible_collections/hkpost/ecert')
    os.makedirs(os.path.dirname(link), exist_ok=True)
    os.symlink('../../..', link)
    os.symlink(os.path.join(ROOT, '.venv'), os.path.join(dest, '.venv'))


def _prewarm(workdir, tests):
    """Import what every test imports, and generate the test PKI's RSA keys, once per worker."""
    os.chdir(workdir)
    sys.path[:0] = [os.path.join(workdir, 'collections'), workdir]
    sys.dont_write_bytecode = True
    import pytest  # noqa: F401  pylint: disable=unused-import
    import ansible.utils.collection_loader._collection_finder  # noqa: F401
    import cryptography.x509  # noqa: F401
    from tests.support.pki import build_pki
    build_pki()
    _import_third_party(tests)
    assert not [m for m in sys.modules if m.startswith('ansible_collections.hkpost')], 'collection imported too early'


def _import_third_party(tests):
    """Import in the worker every library the tests' collection imports (ansible's action machinery, jinja2, yaml,
    asyncio ...), found by collecting the tests once in a throw-away child. Never the collection nor the tests: a
    mutant child must import those fresh (ansible's plugin loader would otherwise keep the unmutated plugin)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        before = set(sys.modules)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        import pytest
        pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider', '-p', 'no:randomly'] + list(tests))
        with os.fdopen(write, 'w') as handle:
            handle.write('\n'.join(sorted(set(sys.modules) - before)))
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as handle:
        names = handle.read().split()
    os.waitpid(pid, 0)
    import importlib
    for name in names:
        if name.split('.')[0] in ('ansible_collections', 'tests', 'conftest', '__main__') or name in sys.modules:
            continue
        try:
            importlib.import_module(name)
        except Exception:  # pylint: disable=broad-except
            pass  # a module that only imports in its package's context: the child imports it itself


def _run_child(workdir, module, mutated, tests, timeout):
    """Fork; the child writes the mutant and runs the tests. Returns 'killed', 'survived' or 'timeout'."""
    path = os.path.join(workdir, _path(module))
    pid = os.fork()
    if pid == 0:
        try:
            with open(path, 'w', encoding='utf-8') as handle:
                handle.write(mutated)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            import pytest
            code = pytest.main(['-x', '-q', '-p', 'no:cacheprovider', '-p', 'no:randomly'] + tests)
            os._exit(int(code))
        except BaseException:  # pylint: disable=broad-except
            os._exit(99)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return 'survived' if os.waitstatus_to_exitcode(status) == 0 else 'killed'
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return 'timeout'
        time.sleep(0.02)


def _existing(workdir, tests):
    return [t for t in tests if os.path.exists(os.path.join(workdir, t.split('::', 1)[0]))]


def _worker(workdir, tests, tasks, results):
    _prewarm(workdir, tests)
    originals = {}
    while True:
        task = tasks.get()
        if task is None:
            return
        module, mid, mutated, selected, mapped, timeout = task
        path = os.path.join(workdir, _path(module))
        if module not in originals:
            with open(path, encoding='utf-8') as handle:
                originals[module] = handle.read()
        if not selected:
            outcome = 'uncovered'  # no test executes the mutated lines: nothing a test sees can change
        else:
            outcome = _run_child(workdir, module, mutated, _existing(workdir, selected), timeout)
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(originals[module])
        results.put((module, mid, outcome))


def _fingerprint(module, tests):
    """What a module's traced run depends on: its source and its mapped tests' sources."""
    digest = hashlib.sha256()
    for rel in [_path(module)] + sorted(tests):
        with open(os.path.join(ROOT, rel), 'rb') as handle:
            digest.update(rel.encode() + b'\0' + handle.read() + b'\0')
    return digest.hexdigest()


def _baseline(module, workdir, tmp, keep=None):
    """Run ``module``'s mapped tests unmutated in ``workdir``, traced: (time limit for a mutant, which test ran
    which line), or None if they fail. With ``keep`` (a directory), an earlier traced run of the same module and
    tests is read from there instead, and a new one is written there."""
    tests = [t for t in MODULES[module] if os.path.exists(os.path.join(ROOT, t))]
    name = 'lines-%s.json' % module.replace('/', '-')
    fingerprint = _fingerprint(module, tests)
    kept = os.path.join(keep, name) if keep else None
    if kept and os.path.exists(kept):
        with open(kept, encoding='utf-8') as handle:
            coverage = json.load(handle)
        if coverage.get('fingerprint') == fingerprint:
            coverage['tests'] = {k: set(v) for k, v in coverage['tests'].items()}
            return max(20.0, 4 * coverage['took']), coverage
    out = os.path.join(tmp, name)
    env = dict(os.environ, HKPOST_MUTATION_TARGET=os.path.join(workdir, _path(module)), HKPOST_MUTATION_LINES=out)
    t0 = time.monotonic()
    rc = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-x', '-p', 'no:cacheprovider', '-p', 'no:randomly',
                         '-p', 'hack.mutation_lines'] + tests, cwd=workdir, env=env, capture_output=True,
                        check=False).returncode
    took = time.monotonic() - t0
    if rc != 0:
        return None
    with open(out, encoding='utf-8') as handle:
        coverage = json.load(handle)
    if kept:
        with open(kept, 'w', encoding='utf-8') as handle:
            json.dump(dict(coverage, fingerprint=fingerprint, took=took), handle)
    coverage['tests'] = {k: set(v) for k, v in coverage['tests'].items()}
    return max(20.0, 4 * took), coverage


def time_limit(selected, coverage, whole):
    """How long a mutant may run its ``selected`` tests before it counts as killed (a loop it made endless): four
    times what those tests took traced, plus 20 s to import the collection, at least 30 s, at most ``whole`` (the
    limit for the whole map). A limit from the whole map alone let one mutant of a helper called by 58 test files
    hold a worker for an hour."""
    took = sum(coverage['seconds'].get(test, 0.0) for test in selected)
    return min(whole, max(30.0, 20.0 + 4 * took))


def _queue_mutants(module, planned, answer, tasks):
    """Queue ``module``'s mutants (not the equivalent ones) for the workers, each with the tests that execute its
    lines; returns how many."""
    timeout, coverage = answer
    source, items = planned
    spans = probe_lines(source)
    mapped = [t for t in MODULES[module] if os.path.exists(os.path.join(ROOT, t))]
    count = 0
    for mid, n, key, _line, _desc in items:
        if (module, mid) in EQUIVALENT:
            continue
        selected = select_tests(spans[mid], coverage, mapped)
        tasks.put((module, mid, mutate(source, n, key), selected, mapped, time_limit(selected, coverage, timeout)))
        count += 1
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('modules', nargs='*', help='modules as in MODULES (default: all)')
    parser.add_argument('--jobs', type=int, default=2)
    parser.add_argument('--list', action='store_true', help='list the mutants, run nothing')
    parser.add_argument('--survivors', action='store_true', help='print every surviving mutant')
    parser.add_argument('--baselines', metavar='DIR',
                        help='keep each module\'s traced unmutated run in DIR and reuse it while the module and its '
                             'tests are unchanged (a re-run after judging survivors skips the longest phase)')
    parser.add_argument('--tests', nargs='+', help='run these tests instead of the mapped ones (while writing tests)')
    parser.add_argument('--only', nargs='+', metavar='MODULE:ID',
                        help='run only these mutants, e.g. the survivors of an earlier run after adding tests (the '
                             'figures printed are then for these mutants only)')
    args = parser.parse_args()
    only = {tuple(item.split(':', 1)) for item in args.only or []}
    if only and not args.modules:
        args.modules = sorted({module for module, _mid in only})
    if args.tests:
        for module in args.modules:
            MODULES[module] = args.tests
    chosen = args.modules or list(MODULES)
    started = time.monotonic()

    plan = {}
    for module in chosen:
        with open(os.path.join(ROOT, _path(module)), encoding='utf-8') as handle:
            source = handle.read()
        items = mutants(source)
        if only:
            items = [item for item in items if (module, item[0]) in only]
        plan[module] = (source, items)
    if args.list:
        for module, (_source, items) in plan.items():
            for mid, _n, _key, _line, desc in items:
                print('%s %s  %s' % (module, mid, desc))
        return 0

    ctx = multiprocessing.get_context('fork')
    tmp = tempfile.mkdtemp(prefix='hkpost-mutation-')
    try:
        workdirs = []
        for i in range(args.jobs):
            workdir = os.path.join(tmp, 'w%d' % i)
            _copy_checkout(workdir)
            workdirs.append(workdir)
        # Baseline: the unmutated tests must pass; their time sets each mutant's time limit, and the traced run
        # (hack/mutation_lines.py) tells which tests execute which lines, so a mutant runs those tests first.
        # One traced run per module, --jobs of them at a time (each in its own worker's copy); a module's mutants
        # are queued as soon as its own traced run is done, so workers start on the small maps while the modules
        # called by 50 test files are still being traced.
        if args.baselines:
            os.makedirs(args.baselines, exist_ok=True)
        tasks, results = ctx.Queue(), ctx.Queue()
        every_test = sorted({t for module in chosen for t in MODULES[module] if os.path.exists(os.path.join(ROOT, t))})
        workers = [ctx.Process(target=_worker, args=(w, every_test, tasks, results)) for w in workdirs]
        for proc in workers:
            proc.start()
        print(HEADER)
        sys.stdout.flush()
        total = 0
        outcomes = {}
        expected = {m: sum(1 for i in items if (m, i[0]) not in EQUIVALENT) for m, (_s, items) in plan.items()}
        done = dict.fromkeys(plan, 0)
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            pending = {pool.submit(_baseline, module, workdirs[i % len(workdirs)], tmp, args.baselines): module
                       for i, module in enumerate(chosen)}
            while pending or len(outcomes) < total:
                finished, _rest = concurrent.futures.wait(list(pending), timeout=0,
                                                          return_when=concurrent.futures.FIRST_COMPLETED)
                for run in finished:
                    module = pending.pop(run)
                    answer = run.result()
                    if answer is None:
                        pool.shutdown(cancel_futures=True)
                        for proc in workers:
                            proc.terminate()
                        print('%s: the unmutated tests fail (%s); fix them first'
                              % (module, ' '.join(MODULES[module])))
                        return 1
                    total += _queue_mutants(module, plan[module], answer, tasks)
                    if not expected[module]:
                        _report(module, plan[module][1], outcomes, args.survivors)
                if not pending and total == len(outcomes):
                    break
                try:
                    module, mid, outcome = results.get(timeout=0.5)
                except queue.Empty:
                    continue
                outcomes[(module, mid)] = outcome
                done[module] += 1
                if len(outcomes) % 25 == 0:  # progress on stderr: a whole run takes long
                    print('  %d/%d mutants run, %d module(s) still being traced' % (len(outcomes), total, len(pending)),
                          file=sys.stderr, flush=True)
                if done[module] == expected[module]:  # a figure as soon as a module is finished
                    _report(module, plan[module][1], outcomes, args.survivors)
                    sys.stdout.flush()
        for _proc in workers:
            tasks.put(None)
        for proc in workers:
            proc.join()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(HEADER)
    for module, (_source, items) in plan.items():
        _report(module, items, outcomes, False)
    print('runtime %.0f s on %d worker(s), %d mutants' % (time.monotonic() - started, args.jobs, total))
    return 0


HEADER = '%-30s %7s %7s %7s %6s %6s' % ('module', 'mutants', 'killed', 'surviv', 'equiv', 'rate')


def _report(module, items, outcomes, survivors):
    ids = [m[0] for m in items]
    equiv = sum(1 for mid in ids if (module, mid) in EQUIVALENT)
    killed = sum(1 for mid in ids if outcomes.get((module, mid)) in ('killed', 'timeout'))
    survived = [m for m in items if outcomes.get((module, m[0])) in ('survived', 'uncovered')]
    counted = len(ids) - equiv
    rate = 100.0 * killed / counted if counted else 100.0
    print('%-30s %7d %7d %7d %6d %5.1f%%' % (module, len(ids), killed, len(survived), equiv, rate))
    if survivors:
        for mid, _n, _key, _line, desc in survived:
            unrun = ' (no mapped test runs this line)' if outcomes.get((module, mid)) == 'uncovered' else ''
            print('    survived %s %s: %s%s' % (module, mid, desc, unrun))


if __name__ == '__main__':
    sys.exit(main())
