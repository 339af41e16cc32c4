# hkpost.ecert payload: exchange_request_many
# Every missing request of an Exchange server in one execution (issue 21): for each of Requests
# ({subject_name, domain_name, key_size, friendly_name}), New-ExchangeCertificate -GenerateRequest as
# exchange_request sends it (a new exportable RSA key in the server's pending requests), in one session. Lists the
# pending requests after (thumbprint, DER): 2010 and 2016+ return only the request text, and the controller finds
# each request's thumbprint by the CSR's key. The request and the listing are the exchange_requests prelude's.
# With Backup, the pending requests that were not there before this
# session made them are exported with their keys from LocalMachine\REQUEST after the session closes, as is each
# entry of Items (pending requests the controller already knew): the pfx_export prelude, as exchange_enable.
param(
    [Parameter(Mandatory = $true)][string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Basic', 'Default')][string]$Authentication = 'Kerberos',
    [Parameter(Mandatory = $true)][string]$Server,
    [PSCredential]$Credential,
    [object[]]$Requests = @(),
    [bool]$Backup = $false,
    [object[]]$Items = @(),
    [SecureString]$Password,
    [ValidateSet('AES256_SHA256', 'TripleDES_SHA1')][string]$Encryption = 'TripleDES_SHA1',
    [bool]$IncludeChain = $true
)

$ErrorActionPreference = 'Stop'

$created = @()
# hkpost.ecert prelude: exchange_session
# hkpost.ecert prelude: exchange_requests
try {
    Import-PSSession -Session $session -CommandName @('New-ExchangeCertificate', 'Get-ExchangeCertificate') -DisableNameChecking -AllowClobber | Out-Null
    $before = @(Read-ExchangePendingRequest -Server $Server | ForEach-Object { $_.thumbprint })
    foreach ($request in $Requests) {
        $created += New-ExchangeRequest -Server $Server -SubjectName $request.subject_name -DomainName $request.domain_name `
            -KeySize $request.key_size -FriendlyName $request.friendly_name
    }
    $pending = @(Read-ExchangePendingRequest -Server $Server)
}
finally {
    Remove-PSSession -Session $session
}

if ($Backup) {
    foreach ($entry in $pending) {
        if ($before -notcontains $entry.thumbprint) {
            $Items += @{ store = 'REQUEST'; thumbprint = $entry.thumbprint }
        }
    }
}
# hkpost.ecert prelude: pfx_export

@{ created = $created; pending = $pending; exports = $exports } | ConvertTo-Json -Compress -Depth 5
