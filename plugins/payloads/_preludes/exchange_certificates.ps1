# hkpost.ecert prelude file: exchange_certificates
# Every Exchange certificate of -Server, from Get-ExchangeCertificate (which the payload imported from the
# exchange_session prelude's $session with Import-PSSession before calling these), read one way by exchange_read,
# retire_read and certificate_inventory_read. ConvertTo-ExchangeCertificateEntry: one certificate with thumbprint,
# DER, services, status, key and friendly name; with serialized data signing and an expired Auth certificate only
# RawData comes back, so Services and Status that are missing pass as null - unknown must not read as "no services"
# on the controller. A payload that reports more about a certificate adds its own keys to this entry (exchange_read:
# the pending request's text). Read-ExchangeCertificate: every certificate's entry with its issuer and subject, what
# hkpost_install, hkpost_retire and the certificate inventory decide on (retire_read, certificate_inventory_read).
# https://learn.microsoft.com/powershell/module/exchange/get-exchangecertificate
function ConvertTo-ExchangeCertificateEntry($Certificate) {
    @{
        thumbprint      = $Certificate.Thumbprint
        der             = $(if ($Certificate.RawData) { [Convert]::ToBase64String([byte[]]$Certificate.RawData) } else { $null })
        services        = $(if ($null -ne $Certificate.Services) { [string]$Certificate.Services } else { $null })
        status          = $(if ($null -ne $Certificate.Status) { [string]$Certificate.Status } else { $null })
        has_private_key = [bool]$Certificate.HasPrivateKey
        friendly_name   = $Certificate.FriendlyName
    }
}

function Read-ExchangeCertificate([string]$Server) {
    @(Get-ExchangeCertificate -Server $Server | ForEach-Object {
            $entry = ConvertTo-ExchangeCertificateEntry $_
            $entry.issuer = [string]$_.Issuer
            $entry.subject = [string]$_.Subject
            $entry
        })
}
