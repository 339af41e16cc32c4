# hkpost.ecert payload: retire_read
# Everything hkpost_retire decides on, in one trip: the certificates of LocalMachine My and WebHosting
# (DER, key present, friendly name), the OS build (for the PFX backup's encryption), IIS https bindings
# with sslFlags, every http.sys certificate mapping (ipport and hostnameport, read from the registry by
# the iis_bindings prelude, as in iis_bindings_read), and - on an Exchange server - each Exchange
# certificate's services through implicit remoting. An Exchange that does not answer is reported as
# unknown, never as "no services". With Exchange, each certificate also comes with what hkpost_install
# plans an Exchange install from (DER, key, pending request status, issuer and subject) and the hybrid
# configuration's TlsCertificateName ("<I>issuer<S>subject"; Get-HybridConfiguration), so the
# certificate a hybrid deployment sends to Exchange Online is kept. With ChainStores (hkpost_install given a chain),
# also what chain_read answers for the chain (the chain_stores prelude): the certificates of those stores and the CRLs
# of CrlStore, so the chain is planned from this same read; the keyed certificates are already in stores.
# Changes nothing; runs in check mode.
[CmdletBinding(SupportsShouldProcess)]
param(
    [string[]]$StoreNames = @('My', 'WebHosting'),
    [bool]$Exchange = $false,
    [string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Basic', 'Default')][string]$Authentication = 'Kerberos',
    [string]$Server,
    [PSCredential]$Credential,
    [string[]]$ChainStores = @(),
    [string]$CrlStore = 'CA'
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

# hkpost.ecert prelude: machine_stores
# hkpost.ecert prelude: iis_bindings
# hkpost.ecert prelude: exchange_certificates
# hkpost.ecert prelude: chain_stores

# Only when asked: the retire planner never sees these (its stores are StoreNames).
$chain = $null
if ($ChainStores.Count -gt 0) {
    $chainCertificates = @{}
    foreach ($name in $ChainStores) {
        $chainCertificates[$name] = @(Get-StoreCertificate -Name $name)
    }
    $chain = @{ stores = $chainCertificates; crls = @(Read-CrlStore $CrlStore) }
}

$stores = Read-MachineStore $StoreNames
$iis = Read-IisHttps

# The RDP listener, WinRM HTTPS listeners, RD Gateway and SQL Server: a certificate any of them uses is kept.
# hkpost.ecert prelude: host_consumers

$exchangeState = @{ present = $Exchange; known = $false; error = $null; certificates = @(); hybrid = $null }
if ($Exchange) {
    try {
        # hkpost.ecert prelude: exchange_session
        try {
            Import-PSSession -Session $session -CommandName @('Get-ExchangeCertificate', 'Get-HybridConfiguration') -DisableNameChecking -AllowClobber | Out-Null
            $exchangeState.certificates = @(Read-ExchangeCertificate -Server $Server)
            $exchangeState.known = $true
            # Hybrid: the certificate named here must stay until the Hybrid Configuration Wizard names another.
            # Not every role or version has the cmdlet; unknown is reported, never read as "not hybrid".
            try {
                $hybrid = Get-HybridConfiguration
                $exchangeState.hybrid = @{ known = $true; tls_certificate_name = $(if ($hybrid) { [string]$hybrid.TlsCertificateName } else { $null }) }
            }
            catch {
                $exchangeState.hybrid = @{ known = $false; tls_certificate_name = $null; error = $_.Exception.Message }
            }
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
    os_build   = [Environment]::OSVersion.Version.Build
    stores     = $stores
    iis        = $iis
    exchange   = $exchangeState
    rdp        = $rdp
    winrm      = $winrm
    rd_gateway = $gateway
    sql        = $sql
    chain      = $chain
} | ConvertTo-Json -Compress -Depth 8
