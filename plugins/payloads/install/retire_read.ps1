# hkpost.ecert payload: retire_read
# Everything hkpost_retire decides on, in one trip: the certificates of LocalMachine My and WebHosting
# (DER, key present, friendly name), the OS build (for the PFX backup's encryption), IIS https bindings
# with sslFlags, every http.sys certificate mapping (ipport and hostnameport, read from the registry by
# the iis_bindings prelude, as in iis_bindings_read), and - on an Exchange server - each Exchange
# certificate's services through implicit remoting. An Exchange that does not answer is reported as
# unknown, never as "no services". Changes nothing; runs in check mode.
[CmdletBinding(SupportsShouldProcess)]
param(
    [string[]]$StoreNames = @('My', 'WebHosting'),
    [bool]$Exchange = $false,
    [string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Basic', 'Default')][string]$Authentication = 'Kerberos',
    [string]$Server,
    [PSCredential]$Credential
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

# hkpost.ecert prelude: iis_bindings

$stores = @{}
foreach ($storeName in $StoreNames) {
    $path = "Cert:\LocalMachine\$storeName"
    $stores[$storeName] = @()
    if (Test-Path -LiteralPath $path) {
        $stores[$storeName] = @(Get-ChildItem -LiteralPath $path | ForEach-Object {
                @{
                    thumbprint      = $_.Thumbprint
                    der             = [Convert]::ToBase64String($_.RawData)
                    has_private_key = $_.HasPrivateKey
                    friendly_name   = $_.FriendlyName
                }
            })
    }
}

$sites = @()
$iisPresent = Test-Path -LiteralPath (Join-Path $env:windir 'System32\inetsrv\Microsoft.Web.Administration.dll')
if ($iisPresent) {
    $sites = @(Read-IisSite -Protocol 'https')
}

$exchangeState = @{ present = $Exchange; known = $false; error = $null; certificates = @() }
if ($Exchange) {
    try {
        # hkpost.ecert prelude: exchange_session
        try {
            Import-PSSession -Session $session -CommandName @('Get-ExchangeCertificate') -DisableNameChecking -AllowClobber | Out-Null
            $exchangeState.certificates = @(Get-ExchangeCertificate -Server $Server | ForEach-Object {
                    # As exchange_read: with serialized data signing and an expired Auth certificate only RawData
                    # comes back, and unknown must not read as "no services" on the controller.
                    @{
                        thumbprint = $_.Thumbprint
                        services   = $(if ($null -ne $_.Services) { [string]$_.Services } else { $null })
                        status     = $(if ($null -ne $_.Status) { [string]$_.Status } else { $null })
                    }
                })
            $exchangeState.known = $true
        }
        finally {
            Remove-PSSession -Session $session -WhatIf:$false
        }
    }
    catch {
        $exchangeState.error = $_.Exception.Message
    }
}

@{
    os_build = [Environment]::OSVersion.Version.Build
    stores   = $stores
    iis      = @{
        present = $iisPresent
        sites   = $sites
        sslcert = @{ ipport = @(Read-SslMapping 'SslBindingInfo'); hostnameport = @(Read-SslMapping 'SslSniBindingInfo') }
    }
    exchange = $exchangeState
} | ConvertTo-Json -Compress -Depth 8
