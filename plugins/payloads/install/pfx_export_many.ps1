# hkpost.ecert payload: pfx_export_many
# Exports certificates with their private keys (and the chain) as PFX, one or several in one trip -
# hkpost_pfx and hkpost_retire send one item, hkpost_install all of a host's backups - each encrypted
# as the controller chose for this host's build with the one password, which win_powershell delivers
# as a SecureString and goes straight to Export-PfxCertificate -Password, never decoded here. Every
# temporary file is deleted before the answer is sent.
param(
    [Parameter(Mandatory = $true)][object[]]$Items,
    [Parameter(Mandatory = $true)][SecureString]$Password,
    [Parameter(Mandatory = $true)][ValidateSet('AES256_SHA256', 'TripleDES_SHA1')][string]$Encryption,
    [bool]$IncludeChain = $true
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

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

@{ encryption = $Encryption; exports = $exports } | ConvertTo-Json -Compress -Depth 4
