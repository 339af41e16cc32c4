# hkpost.ecert payload: pfx_import
# Restores a PFX into LocalMachine\<Store> with the key in the MACHINE key store (a key imported
# into a user profile is unreadable by IIS), exportable only when asked. Returns the thumbprint.
# The PFX is already encrypted and travels in plain parameters; its password arrives as a
# SecureString (a sensitive parameter) and goes to the X509Certificate2 constructor that takes one,
# so it is never decoded here. That constructor loads the certificate that holds the private key.
param(
    [Parameter(Mandatory = $true)][string]$PfxBase64,
    [Parameter(Mandatory = $true)][SecureString]$Password,
    [bool]$Exportable = $false,
    [string]$Store = 'My',
    [string]$FriendlyName
)

$ErrorActionPreference = 'Stop'

$flags = [Security.Cryptography.X509Certificates.X509KeyStorageFlags]'MachineKeySet, PersistKeySet'
if ($Exportable) { $flags = $flags -bor [Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable }
try {
    $leaf = [Security.Cryptography.X509Certificates.X509Certificate2]::new([Convert]::FromBase64String($PfxBase64), $Password, $flags)
}
catch {
    throw "the PFX could not be opened: $($_.Exception.InnerException.Message) (wrong password, or an AES-256 PFX on a host older than build 17763)"
}

function Remove-PersistedKey($Certificate) {
    # PersistKeySet wrote the private key to the machine key store (a new container per import). If the
    # certificate does not end up in the store, that key would stay there as an orphan: delete it.
    # CNG: CngKey.Delete(); CAPI: PersistKeyInCsp = $false, then Clear() deletes the container (Microsoft,
    # "How to: Store asymmetric keys in a key container").
    $rsa = [Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
    if ($rsa -is [Security.Cryptography.RSACng]) {
        $rsa.Key.Delete()
    }
    elseif ($rsa -is [Security.Cryptography.RSACryptoServiceProvider]) {
        $rsa.PersistKeyInCsp = $false
        $rsa.Clear()
    }
}

try {
    if (-not $leaf.HasPrivateKey) { throw 'the PFX holds no certificate with a private key' }
    if ($FriendlyName) { $leaf.FriendlyName = $FriendlyName }
    $certStore = New-Object -TypeName Security.Cryptography.X509Certificates.X509Store -ArgumentList $Store, 'LocalMachine'
    $certStore.Open('ReadWrite')
    try { $certStore.Add($leaf) } finally { $certStore.Close() }
}
catch {
    $cause = $_
    if ($leaf.HasPrivateKey) {
        try { Remove-PersistedKey $leaf }
        catch { throw "$($cause.Exception.Message) - and the private key it had stored could not be deleted: $($_.Exception.Message)" }
    }
    throw $cause
}

@{ thumbprint = $leaf.Thumbprint; has_private_key = $leaf.HasPrivateKey; store = $Store } | ConvertTo-Json -Compress -Depth 3
