# hkpost.ecert payload: pfx_export
# Exports one certificate with its private key (and the chain) as PFX, encrypted as the controller
# chose for this host's build, and returns the PFX bytes. The password arrives as a sensitive
# parameter, which win_powershell delivers as a SecureString: it goes straight to
# Export-PfxCertificate -Password and is never decoded here. The temporary file is deleted before
# the answer is sent.
param(
    [Parameter(Mandatory = $true)][string]$Store,
    [Parameter(Mandatory = $true)][string]$Thumbprint,
    [Parameter(Mandatory = $true)][SecureString]$Password,
    [Parameter(Mandatory = $true)][ValidateSet('AES256_SHA256', 'TripleDES_SHA1')][string]$Encryption,
    [bool]$IncludeChain = $true
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

$file = Join-Path -Path ([IO.Path]::GetTempPath()) -ChildPath ("hkpost-{0}.pfx" -f [Guid]::NewGuid())
try {
    $exportArgs = @{
        Cert        = "Cert:\LocalMachine\$Store\$Thumbprint"
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

@{ thumbprint = $Thumbprint; encryption = $Encryption; pfx = [Convert]::ToBase64String($bytes) } |
    ConvertTo-Json -Compress -Depth 3
