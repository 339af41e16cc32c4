# hkpost.ecert payload: exchange_read
# Through implicit remoting to the Exchange management endpoint (http(s)://SERVER/PowerShell/,
# configuration Microsoft.Exchange), which serves 2010 to SE alike: the server's version and its
# Exchange certificates, pending requests included. Changes nothing; runs in check mode.
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory = $true)][string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Basic', 'Default')][string]$Authentication = 'Kerberos',
    [Parameter(Mandatory = $true)][string]$Server,
    [PSCredential]$Credential
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

$sessionArgs = @{
    ConfigurationName = 'Microsoft.Exchange'
    ConnectionUri     = $ConnectionUri
    Authentication    = $Authentication
}
if ($Credential) {
    # win_powershell builds this PSCredential from sensitive_parameters username/password.
    $sessionArgs.Credential = $Credential
}
$session = New-PSSession @sessionArgs
try {
    Import-PSSession -Session $session -CommandName @('Get-ExchangeServer', 'Get-ExchangeCertificate') -DisableNameChecking -AllowClobber | Out-Null
    $version = [string](Get-ExchangeServer -Identity $Server).AdminDisplayVersion
    $certificates = @(Get-ExchangeCertificate -Server $Server | ForEach-Object {
            @{
                thumbprint          = $_.Thumbprint
                der                 = $(if ($_.RawData) { [Convert]::ToBase64String([byte[]]$_.RawData) } else { $null })
                services            = [string]$_.Services
                status              = [string]$_.Status
                has_private_key     = [bool]$_.HasPrivateKey
                friendly_name       = $_.FriendlyName
                certificate_request = $_.CertificateRequest
            }
        })
}
finally {
    Remove-PSSession -Session $session
}

@{ version = $version; certificates = $certificates } | ConvertTo-Json -Compress -Depth 4
