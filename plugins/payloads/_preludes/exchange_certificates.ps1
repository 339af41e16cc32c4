# hkpost.ecert prelude file: exchange_certificates
# Read-ExchangeCertificate: every Exchange certificate of -Server, from Get-ExchangeCertificate (which the payload
# imported from the exchange_session prelude's $session with Import-PSSession before calling this), with what
# hkpost_install, hkpost_retire and the certificate inventory decide on: thumbprint, DER, services, status, key,
# friendly name, issuer and subject. As exchange_read: with serialized data signing and an expired Auth certificate
# only RawData comes back, so Services and Status that are missing pass as null - unknown must not read as
# "no services" on the controller. Composed into retire_read and certificate_inventory_read.
# https://learn.microsoft.com/powershell/module/exchange/get-exchangecertificate
function Read-ExchangeCertificate([string]$Server) {
    @(Get-ExchangeCertificate -Server $Server | ForEach-Object {
            @{
                thumbprint      = $_.Thumbprint
                der             = $(if ($_.RawData) { [Convert]::ToBase64String([byte[]]$_.RawData) } else { $null })
                services        = $(if ($null -ne $_.Services) { [string]$_.Services } else { $null })
                status          = $(if ($null -ne $_.Status) { [string]$_.Status } else { $null })
                has_private_key = [bool]$_.HasPrivateKey
                friendly_name   = $_.FriendlyName
                issuer          = [string]$_.Issuer
                subject         = [string]$_.Subject
            }
        })
}
