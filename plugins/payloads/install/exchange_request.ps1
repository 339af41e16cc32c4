# hkpost.ecert payload: exchange_request
# New-ExchangeCertificate -GenerateRequest: a new key (RSA, CAPI provider as Exchange 2010 needs,
# exportable) in the server's pending requests, and the request text to submit to Hongkong Post.
# Also lists the pending requests after the change (thumbprint, DER): 2010 and 2016+ return only the
# request text, so the controller finds the new request's thumbprint by the CSR's key.
param(
    [Parameter(Mandatory = $true)][string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Basic', 'Default')][string]$Authentication = 'Kerberos',
    [Parameter(Mandatory = $true)][string]$Server,
    [PSCredential]$Credential,
    [Parameter(Mandatory = $true)][string]$SubjectName,
    [Parameter(Mandatory = $true)][string[]]$DomainName,
    [int]$KeySize = 2048,
    [string]$FriendlyName
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: exchange_session
try {
    Import-PSSession -Session $session -CommandName @('New-ExchangeCertificate', 'Get-ExchangeCertificate') -DisableNameChecking -AllowClobber | Out-Null
    $requestArgs = @{
        Server               = $Server
        GenerateRequest      = $true
        SubjectName          = $SubjectName
        DomainName           = $DomainName
        KeySize              = $KeySize
        PrivateKeyExportable = $true
    }
    if ($FriendlyName) { $requestArgs.FriendlyName = $FriendlyName }
    $answer = New-ExchangeCertificate @requestArgs
    # 2010 and 2016+ return the request text; 2013 returns the pending certificate object.
    if ($answer -is [string]) {
        # [string]: what implicit remoting returns carries PSComputerName, RunspaceId and
        # PSShowComputerName NoteProperties, and Windows PowerShell 5.1's ConvertTo-Json would write
        # the request as an object {"value": ..., "PSComputerName": ...}; the cast keeps the text only.
        $csr = [string]$answer
        $thumbprint = $null
    }
    else {
        $thumbprint = $answer.Thumbprint
        $csr = (Get-ExchangeCertificate -Server $Server -Thumbprint $thumbprint).CertificateRequest
    }
    $pending = @(Get-ExchangeCertificate -Server $Server | Where-Object { [string]$_.Status -eq 'PendingRequest' } | ForEach-Object {
            @{ thumbprint = $_.Thumbprint; der = $(if ($_.RawData) { [Convert]::ToBase64String([byte[]]$_.RawData) } else { $null }) }
        })
}
finally {
    Remove-PSSession -Session $session
}

@{ csr = $csr; thumbprint = $thumbprint; pending = $pending } | ConvertTo-Json -Compress -Depth 4
