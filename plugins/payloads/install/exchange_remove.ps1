# hkpost.ecert payload: exchange_remove
# Remove-ExchangeCertificate for one certificate the controller found superseded and unused.
param(
    [Parameter(Mandatory = $true)][string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Basic', 'Default')][string]$Authentication = 'Kerberos',
    [Parameter(Mandatory = $true)][string]$Server,
    [PSCredential]$Credential,
    [Parameter(Mandatory = $true)][string]$Thumbprint
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: exchange_session
try {
    Import-PSSession -Session $session -CommandName Remove-ExchangeCertificate -DisableNameChecking -AllowClobber | Out-Null
    Remove-ExchangeCertificate -Server $Server -Thumbprint $Thumbprint -Confirm:$false | Out-Null
}
finally {
    Remove-PSSession -Session $session
}

@{ thumbprint = $Thumbprint; removed = $true } | ConvertTo-Json -Compress -Depth 3
