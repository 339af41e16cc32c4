# -*- coding: utf-8 -*-
"""iis_apply: a host's IIS change as a list of steps, run by the payload's loop (plugins/payloads/install/iis_apply.ps1).

Read from the script, as the loop is written: which function each step kind runs (its ``switch ($step.kind)``),
whether a failed step stops the loop (``$failed = $true`` in the catch, and the guard at the loop's top, which
ContinueOnError lifts), and whether a completion without its key is a failure. Each step function is then modelled
by the handler of the payload it replaced (complete_request, pfx_export_many, the IIS binding writes), reading the
script with the OTHER step functions cut out, so one function's flags are not taken for another's.
"""

from __future__ import annotations

from tests.support.windows import certstore, chain, iis, pfx, script_facts  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.host import _HANDLERS, HostFailure, handles

# The function each step kind is meant to run, and how a step's data becomes that handler's parameters.
_FUNCTIONS = {
    'invoke-chainstep': lambda host, step, params: _chain_step(host, step),
    'complete-certificaterequest': lambda host, step, params: certstore.complete_request(host, {
        'CertificateBase64': step['certificate_base64'], 'Thumbprint': step['thumbprint'],
        'FriendlyName': step.get('friendly_name')}),
    'export-pfxitem': lambda host, step, params: {'exports': _HANDLERS['pfx_export_many'](host, {
        'Items': step['items'], 'Password': params.get('Password'),
        'Encryption': params.get('Encryption') or 'TripleDES_SHA1',
        'IncludeChain': params.get('IncludeChain', True)})['exports']},
    'add-iisbinding': lambda host, step, params: iis.iis_binding_add(host, _binding(step)),
    'remove-iisbinding': lambda host, step, params: iis.iis_binding_remove(host, _binding(step)),
    'set-iisbindingcertificate': lambda host, step, params: iis.iis_binding_replace(host, _binding(step)),
}


def _chain_step(host, step):
    """One step of the chain plan, by the chain_steps prelude's Invoke-ChainStep (modelled as chain_apply runs it)."""
    answer = chain.chain_steps(host, [step['step']])
    if answer['failed']:
        raise HostFailure(answer['failed']['error'])
    return {'op': step['step']['op'], 'thumbprint': step['step']['thumbprint']}


def _binding(step):
    return {'Site': step['site'], 'BindingInformation': step['binding_information'],
            'SslFlags': step.get('ssl_flags', 0), 'Thumbprint': step.get('thumbprint') or '',
            'Store': step.get('store') or 'My'}


def _loop(script):
    """What the loop does after a failed step, as the script says it."""
    flat = ' '.join(script.split())
    lifted = 'if ($failed -and -not $ContinueOnError) {' in flat
    guarded = lifted or 'if ($failed) {' in flat
    return {'stops': guarded and '$failed = $true' in flat, 'continue_on_error_lifts': lifted,
            'keyless_fails': '-not $answer.has_private_key' in flat}


@handles('iis_apply')
def iis_apply(host, params):
    script = host.script
    dispatch = script_facts.switch_dispatch(script, '$step.kind')
    loop = _loop(script)
    results, failed = [], False
    try:
        for step in params['Steps']:
            if failed and loop['stops'] and not (params.get('ContinueOnError') and loop['continue_on_error_lifts']):
                results.append({'kind': step['kind'], 'status': 'skipped'})
                continue
            function = dispatch.get(step['kind'])
            try:
                if function is None or function.lower() not in _FUNCTIONS:
                    raise HostFailure("unknown step kind '%s'" % step['kind'])
                host.script = script_facts.without_functions(
                    script, [f for f in dispatch.values() if f.lower() != function.lower()])
                answer = _FUNCTIONS[function.lower()](host, step, params)
                if step['kind'] == 'complete' and loop['keyless_fails'] and not answer.get('has_private_key'):
                    raise HostFailure('certreq -accept installed %s without the private key' % step['thumbprint'])
                results.append({'kind': step['kind'], 'status': 'done', 'answer': answer})
            except HostFailure as e:
                failed = True
                results.append({'kind': step['kind'], 'status': 'failed', 'error': str(e)})
    finally:
        host.script = script
    return {'steps': results}
