# hkpost.ecert payload: exchange_request_many
# Every missing request of an Exchange server in one execution (issue 21): for each of Requests
# ({subject_name, domain_name, key_size, friendly_name}), New-ExchangeCertificate -GenerateRequest as
# exchange_request sends it (a new exportable RSA key in the server's pending requests), in one session. Lists the
# pending requests after (thumbprint, DER): 2010 and 2016+ return only the request text, and the controller finds
# each request's thumbprint by the CSR's key. With Backup, the pending requests that were not there before this
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
try {
    Import-PSSession -Session $session -CommandName @('New-ExchangeCertificate', 'Get-ExchangeCertificate') -DisableNameChecking -AllowClobber | Out-Null
    $before = @(Get-ExchangeCertificate -Server $Server | Where-Object { [string]$_.Status -eq 'PendingRequest' } | ForEach-Object { $_.Thumbprint })
    foreach ($request in $Requests) {
        $requestArgs = @{
            Server               = $Server
            GenerateRequest      = $true
            SubjectName          = $request.subject_name
            DomainName           = [string[]]$request.domain_name
            KeySize              = [int]$request.key_size
            PrivateKeyExportable = $true
        }
        if ($request.friendly_name) { $requestArgs.FriendlyName = $request.friendly_name }
        $answer = New-ExchangeCertificate @requestArgs
        # 2010 and 2016+ return the request text; 2013 returns the pending certificate object.
        if ($answer -is [string]) {
            # [string]: the text without implicit remoting's NoteProperties (see exchange_request).
            $csr = [string]$answer
            $thumbprint = $null
        }
        else {
            $thumbprint = $answer.Thumbprint
            $csr = (Get-ExchangeCertificate -Server $Server -Thumbprint $thumbprint).CertificateRequest
        }
        $created += @{ csr = $csr; thumbprint = $thumbprint }
    }
    $pending = @(Get-ExchangeCertificate -Server $Server | Where-Object { [string]$_.Status -eq 'PendingRequest' } | ForEach-Object {
            @{ thumbprint = $_.Thumbprint; der = $(if ($_.RawData) { [Convert]::ToBase64String([byte[]]$_.RawData) } else { $null }) }
        })
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
