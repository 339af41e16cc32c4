# hkpost.ecert payload: pfx_import
# Restores a PFX into LocalMachine\<Store> with the key in the MACHINE key store (a key imported
# into a user profile is unreadable by IIS), exportable only when asked. Returns the thumbprint.
param(
    [Parameter(Mandatory = $true)][string]$PfxBase64,
    [Parameter(Mandatory = $true)][string]$Password,
    [bool]$Exportable = $false,
    [string]$Store = 'My',
    [string]$FriendlyName
)

$ErrorActionPreference = 'Stop'

$flags = [Security.Cryptography.X509Certificates.X509KeyStorageFlags]'MachineKeySet, PersistKeySet'
if ($Exportable) { $flags = $flags -bor [Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable }
$collection = New-Object -TypeName Security.Cryptography.X509Certificates.X509Certificate2Collection
try {
    $collection.Import([Convert]::FromBase64String($PfxBase64), $Password, $flags)
}
catch {
    throw "the PFX could not be opened: $($_.Exception.InnerException.Message) (wrong password, or an AES-256 PFX on a host older than build 17763)"
}
$leaf = $collection | Where-Object { $_.HasPrivateKey } | Select-Object -First 1
if ($null -eq $leaf) { throw 'the PFX holds no certificate with a private key' }
if ($FriendlyName) { $leaf.FriendlyName = $FriendlyName }

$certStore = New-Object -TypeName Security.Cryptography.X509Certificates.X509Store -ArgumentList $Store, 'LocalMachine'
$certStore.Open('ReadWrite')
try { $certStore.Add($leaf) } finally { $certStore.Close() }

@{ thumbprint = $leaf.Thumbprint; has_private_key = $leaf.HasPrivateKey; store = $Store } | ConvertTo-Json -Compress -Depth 3
