# hkpost.ecert payload: ecert_store_read
# Lists the certificates of LocalMachine stores (My, WebHosting, REQUEST...) with their DER bytes,
# whether the private key is present, and the friendly name. Changes nothing; runs in check mode.
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory = $true)][string[]]$StoreNames
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

$stores = @{}
foreach ($storeName in $StoreNames) {
    $path = "Cert:\LocalMachine\$storeName"
    $entries = @()
    if (Test-Path -LiteralPath $path) {
        $entries = @(Get-ChildItem -LiteralPath $path | ForEach-Object {
                @{
                    thumbprint      = $_.Thumbprint
                    der             = [Convert]::ToBase64String($_.RawData)
                    has_private_key = $_.HasPrivateKey
                    friendly_name   = $_.FriendlyName
                }
            })
    }
    $stores[$storeName] = $entries
}

@{ stores = $stores } | ConvertTo-Json -Compress -Depth 5
