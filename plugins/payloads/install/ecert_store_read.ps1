# hkpost.ecert payload: ecert_store_read
# Lists the certificates of LocalMachine stores (My, WebHosting, REQUEST...) with their DER bytes,
# whether the private key is present, and the friendly name (the machine_stores prelude, as retire_read and
# certificate_inventory_read read them). Changes nothing; runs in check mode.
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory = $true)][string[]]$StoreNames
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

# hkpost.ecert prelude: machine_stores
$stores = Read-MachineStore $StoreNames

@{ stores = $stores } | ConvertTo-Json -Compress -Depth 5
