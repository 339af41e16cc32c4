# hkpost.ecert prelude file: pfx_export
# The PFX exports of $Items ({store, thumbprint}) with their keys (and the chain when $IncludeChain), encrypted as
# $Encryption with the SecureString $Password, into $exports ({thumbprint, store, pfx}); every temporary file is
# deleted. Composed into pfx_export_many, into exchange_enable so an Exchange install backs up in its own trip, and
# into iis_apply (inside its Export-PfxItem function, whose $Items is the export step's) for an IIS install.
$exports = @()
foreach ($item in $Items) {
    $file = Join-Path -Path ([IO.Path]::GetTempPath()) -ChildPath ("hkpost-{0}.pfx" -f [Guid]::NewGuid())
    try {
        $exportArgs = @{
            Cert        = "Cert:\LocalMachine\$($item.store)\$($item.thumbprint)"
            FilePath    = $file
            Password    = $Password
            ChainOption = $(if ($IncludeChain) { 'BuildChain' } else { 'EndEntityCertOnly' })
        }
        # TripleDES_SHA1 is the default everywhere; the option itself does not exist before build 17763.
        if ($Encryption -eq 'AES256_SHA256') { $exportArgs.CryptoAlgorithmOption = 'AES256_SHA256' }
        Export-PfxCertificate @exportArgs | Out-Null
        $bytes = [IO.File]::ReadAllBytes($file)
    }
    finally {
        Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
    }
    $exports += @{ thumbprint = $item.thumbprint; store = $item.store; pfx = [Convert]::ToBase64String($bytes) }
}
