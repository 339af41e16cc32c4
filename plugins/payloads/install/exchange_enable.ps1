# hkpost.ecert payload: exchange_enable
# Enable-ExchangeCertificate for the services given, with -Force so SMTP does not stop at the
# "overwrite the default SMTP certificate?" prompt an unattended run cannot answer.
param(
    [Parameter(Mandatory = $true)][string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Basic', 'Default')][string]$Authentication = 'Kerberos',
    [Parameter(Mandatory = $true)][string]$Server,
    [PSCredential]$Credential,
    [Parameter(Mandatory = $true)][string]$Thumbprint,
    [Parameter(Mandatory = $true)][string[]]$Services
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: exchange_session
try {
    Import-PSSession -Session $session -CommandName Enable-ExchangeCertificate -DisableNameChecking -AllowClobber | Out-Null
    Enable-ExchangeCertificate -Server $Server -Thumbprint $Thumbprint -Services ($Services -join ',') -Force | Out-Null
}
finally {
    Remove-PSSession -Session $session
}

@{ thumbprint = $Thumbprint; services = $Services } | ConvertTo-Json -Compress -Depth 3
