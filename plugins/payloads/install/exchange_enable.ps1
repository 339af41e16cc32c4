# hkpost.ecert payload: exchange_enable
# Enable-ExchangeCertificate for the services given, with -Force so SMTP does not stop at the
# "overwrite the default SMTP certificate?" prompt an unattended run cannot answer. With
# CertificateBase64 the pending request is completed first (Import-ExchangeCertificate -FileData; -FileName
# is gone from Exchange 2016 CU23 / 2019 CU12 on) in the same session, and with Items the PFX backups
# hkpost_install planned (the new certificate, what it will retire) are exported after the session closes
# (the pfx_export prelude, as pfx_export_many), so an Exchange install is one trip. The controller already
# matched the certificate to its request. Without Services nothing is enabled. With ChainSteps (hkpost_install given
# a chain), the chain migration plan's steps run first (the chain_steps prelude, as chain_apply): the intermediates
# are in the store before the new certificate is served; the first that fails stops the payload there - nothing is
# imported, enabled or exported - and the answer's chain says which were applied.
param(
    [Parameter(Mandatory = $true)][string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Basic', 'Default')][string]$Authentication = 'Kerberos',
    [Parameter(Mandatory = $true)][string]$Server,
    [PSCredential]$Credential,
    [Parameter(Mandatory = $true)][string]$Thumbprint,
    [string[]]$Services = @(),
    [string]$CertificateBase64,
    [object[]]$Items = @(),
    [SecureString]$Password,
    [ValidateSet('AES256_SHA256', 'TripleDES_SHA1')][string]$Encryption = 'TripleDES_SHA1',
    [bool]$IncludeChain = $true,
    [object[]]$ChainSteps = @()
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: native_command
# hkpost.ecert prelude: chain_steps

$chain = $null
$imported = $null
$exports = @()
if ($ChainSteps.Count -gt 0) {
    $chain = Invoke-ChainSteps -Steps $ChainSteps
}
# A failed chain step ends the work here: nothing imported, enabled or exported (the answer says which applied).
$chainFailed = $null -ne $chain -and $null -ne $chain.failed
if (-not $chainFailed) {
    # hkpost.ecert prelude: exchange_session
    try {
        Import-PSSession -Session $session -CommandName @('Import-ExchangeCertificate', 'Enable-ExchangeCertificate') -DisableNameChecking -AllowClobber | Out-Null
        if ($CertificateBase64) {
            $imported = Import-ExchangeCertificate -Server $Server -FileData ([byte[]][Convert]::FromBase64String($CertificateBase64))
        }
        if ($Services.Count -gt 0) {
            Enable-ExchangeCertificate -Server $Server -Thumbprint $Thumbprint -Services ($Services -join ',') -Force | Out-Null
        }
    }
    finally {
        Remove-PSSession -Session $session
    }

    # hkpost.ecert prelude: pfx_export
}

@{
    thumbprint = $Thumbprint
    imported   = $(if ($imported) { [string]$imported.Thumbprint } else { $null })
    services   = $(if ($chainFailed) { @() } else { $Services })
    exports    = $exports
    chain      = $chain
} | ConvertTo-Json -Compress -Depth 4
