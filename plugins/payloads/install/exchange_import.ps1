# hkpost.ecert payload: exchange_import
# Completes the pending request: Import-ExchangeCertificate -FileData (-FileName is gone from
# Exchange 2016 CU23 / 2019 CU12 on). The controller already matched the certificate to the request.
param(
    [Parameter(Mandatory = $true)][string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Basic', 'Default')][string]$Authentication = 'Kerberos',
    [Parameter(Mandatory = $true)][string]$Server,
    [PSCredential]$Credential,
    [Parameter(Mandatory = $true)][string]$CertificateBase64
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: exchange_session
try {
    Import-PSSession -Session $session -CommandName Import-ExchangeCertificate -DisableNameChecking -AllowClobber | Out-Null
    $imported = Import-ExchangeCertificate -Server $Server -FileData ([byte[]][Convert]::FromBase64String($CertificateBase64))
}
finally {
    Remove-PSSession -Session $session
}

@{ thumbprint = $imported.Thumbprint; status = [string]$imported.Status; services = [string]$imported.Services } |
    ConvertTo-Json -Compress -Depth 3
