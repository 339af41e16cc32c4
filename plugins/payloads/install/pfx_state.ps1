# hkpost.ecert payload: pfx_state
# What a PFX backup or restore needs to know about the host: its OS build (which decides the PFX
# encryption) and, when a thumbprint is given, whether that certificate is in the store with an
# exportable private key. Changes nothing; runs in check mode.
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory = $true)][string]$Store,
    [string]$Thumbprint
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

$certificate = $null
if ($Thumbprint -and (Test-Path -LiteralPath "Cert:\LocalMachine\$Store\$Thumbprint")) {
    $cert = Get-Item -LiteralPath "Cert:\LocalMachine\$Store\$Thumbprint"
    $exportable = $null
    if ($cert.HasPrivateKey) {
        try {
            # CAPI (SChannel) keys, what certreq and Exchange make.
            $exportable = [bool]$cert.PrivateKey.CspKeyContainerInfo.Exportable
        }
        catch {
            try {
                $cng = [Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($cert)
                $exportable = [bool]($cng.Key.ExportPolicy -band [Security.Cryptography.CngExportPolicies]::AllowExport)
            }
            catch { $exportable = $null }
        }
    }
    $certificate = @{
        thumbprint      = $cert.Thumbprint
        der             = [Convert]::ToBase64String($cert.RawData)
        has_private_key = $cert.HasPrivateKey
        exportable      = $exportable
        friendly_name   = $cert.FriendlyName
    }
}

@{ os_build = [Environment]::OSVersion.Version.Build; certificate = $certificate } | ConvertTo-Json -Compress -Depth 4
