# hkpost.ecert payload: exchange_request
# New-ExchangeCertificate -GenerateRequest: a new key (RSA, CAPI provider as Exchange 2010 needs,
# exportable) in the server's pending requests, and the request text to submit to Hongkong Post.
# Also lists the pending requests after the change (thumbprint, DER): 2010 and 2016+ return only the
# request text, so the controller finds the new request's thumbprint by the CSR's key. The request and the
# listing are the exchange_requests prelude's, as exchange_request_many makes and lists them.
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
# hkpost.ecert prelude: exchange_requests
try {
    Import-PSSession -Session $session -CommandName @('New-ExchangeCertificate', 'Get-ExchangeCertificate') -DisableNameChecking -AllowClobber | Out-Null
    $made = New-ExchangeRequest -Server $Server -SubjectName $SubjectName -DomainName $DomainName -KeySize $KeySize -FriendlyName $FriendlyName
    $csr = $made.csr
    $thumbprint = $made.thumbprint
    $pending = @(Read-ExchangePendingRequest -Server $Server)
}
finally {
    Remove-PSSession -Session $session
}

@{ csr = $csr; thumbprint = $thumbprint; pending = $pending } | ConvertTo-Json -Compress -Depth 4
