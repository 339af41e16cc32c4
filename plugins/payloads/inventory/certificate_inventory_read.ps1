# hkpost.ecert payload: certificate_inventory_read
# Every certificate the machine holds and everything on it that points at one, in one trip (one
# execution per host): the LocalMachine stores with DER, key presence, key provider and exportability;
# IIS https bindings and the http.sys mappings (iis_bindings prelude); Exchange services (exchange_session
# prelude, only when asked); the RDP listener, the WinRM HTTPS listeners, RD Gateway where the role is
# installed, and SQL Server instances. Each consumer source reports its own error instead of failing the
# read: one unreadable source must not hide the others. Changes nothing; runs in check mode.
# The Microsoft page each read follows is named above it and in docs/docsite/rst/windows_internals.rst.
[CmdletBinding(SupportsShouldProcess)]
param(
    [string[]]$StoreNames = @('My', 'WebHosting', 'Remote Desktop', 'CA', 'Root', 'Disallowed', 'REQUEST'),
    [bool]$Exchange = $false,
    [string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Basic', 'Default')][string]$Authentication = 'Kerberos',
    [string]$Server,
    [PSCredential]$Credential
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

# hkpost.ecert prelude: iis_bindings

function Read-KeyFact($Certificate) {
    # Which provider holds the private key and whether it may be exported. CNG keys (RSACng: CngKey.Provider,
    # CngKey.ExportPolicy) and CAPI keys (RSACryptoServiceProvider: CspKeyContainerInfo.ProviderName,
    # .Exportable), as pfx_state reads them:
    # https://learn.microsoft.com/dotnet/api/system.security.cryptography.cngkey.exportpolicy ,
    # https://learn.microsoft.com/dotnet/api/system.security.cryptography.cspkeycontainerinfo.exportable .
    # A key that cannot be opened (its file is gone, or no access) is reported with the reason: the store
    # still says HasPrivateKey, and that is exactly the broken state an operator needs to see.
    $fact = @{ provider = $null; storage = $null; exportable = $null; error = $null }
    if (-not $Certificate.HasPrivateKey) { return $fact }
    try {
        $rsa = [Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
        if ($rsa -is [Security.Cryptography.RSACng]) {
            $fact.storage = 'CNG'
            $fact.provider = $rsa.Key.Provider.Provider
            $fact.exportable = [bool]($rsa.Key.ExportPolicy -band [Security.Cryptography.CngExportPolicies]::AllowExport)
        }
        elseif ($rsa -is [Security.Cryptography.RSACryptoServiceProvider]) {
            $fact.storage = 'CAPI'
            $fact.provider = $rsa.CspKeyContainerInfo.ProviderName
            $fact.exportable = [bool]$rsa.CspKeyContainerInfo.Exportable
        }
        else {
            # An ECDSA key (ECDsaCertificateExtensions, .NET Framework 4.6.1+): Windows keeps those in CNG.
            # https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.ecdsacertificateextensions.getecdsaprivatekey
            $ecdsa = [Security.Cryptography.X509Certificates.ECDsaCertificateExtensions]::GetECDsaPrivateKey($Certificate)
            if ($ecdsa -is [Security.Cryptography.ECDsaCng]) {
                $fact.storage = 'CNG'
                $fact.provider = $ecdsa.Key.Provider.Provider
                $fact.exportable = [bool]($ecdsa.Key.ExportPolicy -band [Security.Cryptography.CngExportPolicies]::AllowExport)
            }
            else {
                $fact.error = 'neither an RSA nor an ECDSA key: its provider is not read'
            }
        }
    }
    catch {
        $fact.error = $_.Exception.Message
    }
    $fact
}

# Cert:\LocalMachine\<store>: the certificate provider. "Remote Desktop" holds the RDP listener's
# self-signed certificate; REQUEST (certlm.msc "Certificate Enrollment Requests") exists only once a
# request was made, so every store is guarded by Test-Path.
# https://learn.microsoft.com/powershell/module/microsoft.powershell.security/about/about_certificate_provider
# hkpost.ecert prelude: machine_stores
$stores = @{}
foreach ($storeName in $StoreNames) {
    $stores[$storeName] = @(Get-MachineStoreCertificate $storeName | ForEach-Object {
            $entry = ConvertTo-StoreEntry $_
            $entry.archived = $_.Archived
            $entry.key = Read-KeyFact $_
            $entry
        })
}

# IIS sites and https bindings (Microsoft.Web.Administration) and the http.sys mappings from the registry:
# Read-IisHttps of the iis_bindings prelude, as retire_read reads them.
$iis = Read-IisHttps

# hkpost.ecert prelude: host_consumers
# hkpost.ecert prelude: exchange_certificates

$exchangeState = @{ present = $Exchange; known = $false; error = $null; certificates = @() }
if ($Exchange) {
    try {
        # hkpost.ecert prelude: exchange_session
        try {
            Import-PSSession -Session $session -CommandName @('Get-ExchangeCertificate') -DisableNameChecking -AllowClobber | Out-Null
            $exchangeState.certificates = @(Read-ExchangeCertificate -Server $Server)
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
    os_build    = [Environment]::OSVersion.Version.Build
    stores      = $stores
    iis         = $iis
    rdp         = $rdp
    winrm       = $winrm
    rd_gateway  = $gateway
    sql         = $sql
    exchange    = $exchangeState
} | ConvertTo-Json -Compress -Depth 8
