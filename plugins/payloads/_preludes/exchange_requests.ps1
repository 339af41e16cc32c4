# hkpost.ecert prelude file: exchange_requests
# New-ExchangeRequest: New-ExchangeCertificate -GenerateRequest on -Server - a new key (RSA, CAPI provider as
# Exchange 2010 needs, exportable) in the server's pending requests - answering {csr, thumbprint}: 2010 and 2016+
# return only the request text (thumbprint null: the controller finds the request by the CSR's key), 2013 the
# pending certificate object, whose request text is read back. Read-ExchangePendingRequest: the server's pending
# requests (thumbprint, DER). Both call the cmdlets the payload imported from the exchange_session prelude's $session
# (New-ExchangeCertificate, Get-ExchangeCertificate). Composed into exchange_request and exchange_request_many.
# https://learn.microsoft.com/powershell/module/exchange/new-exchangecertificate
function New-ExchangeRequest([string]$Server, [string]$SubjectName, [string[]]$DomainName, [int]$KeySize, [string]$FriendlyName) {
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
    @{ csr = $csr; thumbprint = $thumbprint }
}

function Read-ExchangePendingRequest([string]$Server) {
    @(Get-ExchangeCertificate -Server $Server | Where-Object { [string]$_.Status -eq 'PendingRequest' } | ForEach-Object {
            @{ thumbprint = $_.Thumbprint; der = $(if ($_.RawData) { [Convert]::ToBase64String([byte[]]$_.RawData) } else { $null }) }
        })
}
