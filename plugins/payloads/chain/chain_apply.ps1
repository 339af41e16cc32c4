# hkpost.ecert payload: chain_apply
# Applies a migration plan made on the controller, in the given order: add_cert / remove_cert in a
# LocalMachine store, add_crl / remove_crl with certutil. Stops at the first step that fails and
# reports which steps were applied and which were not.
param(
    [Parameter(Mandatory = $true)][object[]]$Steps
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: native_command

# hkpost.ecert prelude: chain_steps

Invoke-ChainSteps -Steps $Steps | ConvertTo-Json -Compress -Depth 4
