# hkpost.ecert prelude file: machine_stores
# The certificates of LocalMachine stores through the Cert: drive, read one way by ecert_store_read, retire_read and
# certificate_inventory_read. A store that does not exist (WebHosting without IIS; REQUEST before the first request)
# is an empty one, guarded by Test-Path; one that exists but cannot be read fails the payload.
# https://learn.microsoft.com/powershell/module/microsoft.powershell.security/about/about_certificate_provider
# Get-MachineStoreCertificate: the X509Certificate2 objects of one store.
# ConvertTo-StoreEntry: one certificate as the controller reads it (thumbprint, DER, key present, friendly name);
# a payload that reports more about a certificate adds its own keys to this entry.
# Read-MachineStore: {store name: [entry]} for each of the names.
function Get-MachineStoreCertificate([string]$Name) {
    $path = "Cert:\LocalMachine\$Name"
    if (Test-Path -LiteralPath $path) {
        Get-ChildItem -LiteralPath $path
    }
}

function ConvertTo-StoreEntry($Certificate) {
    @{
        thumbprint      = $Certificate.Thumbprint
        der             = [Convert]::ToBase64String($Certificate.RawData)
        has_private_key = $Certificate.HasPrivateKey
        friendly_name   = $Certificate.FriendlyName
    }
}

function Read-MachineStore([string[]]$StoreNames) {
    $stores = @{}
    foreach ($storeName in $StoreNames) {
        $stores[$storeName] = @(Get-MachineStoreCertificate $storeName | ForEach-Object { ConvertTo-StoreEntry $_ })
    }
    $stores
}
