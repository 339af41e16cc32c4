# hkpost.ecert payload: pfx_export_many
# Exports certificates with their private keys (and the chain) as PFX, one or several in one trip -
# hkpost_pfx and hkpost_retire send one item, hkpost_install all of a host's backups - each encrypted
# as the controller chose for this host's build with the one password, which win_powershell delivers
# as a SecureString and goes straight to Export-PfxCertificate -Password, never decoded here. Every
# temporary file is deleted before the answer is sent.
param(
    [Parameter(Mandatory = $true)][object[]]$Items,
    [Parameter(Mandatory = $true)][SecureString]$Password,
    [Parameter(Mandatory = $true)][ValidateSet('AES256_SHA256', 'TripleDES_SHA1')][string]$Encryption,
    [bool]$IncludeChain = $true
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

# hkpost.ecert prelude: pfx_export

@{ encryption = $Encryption; exports = $exports } | ConvertTo-Json -Compress -Depth 4
