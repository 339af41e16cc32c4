# hkpost.ecert payload: complete_requests
# complete_request for several certificates in one trip: certreq -accept -machine for each issued
# certificate, in the order the controller gives, each paired with its pending request's key in
# LocalMachine\REQUEST and installed in LocalMachine\My. The controller matched every request first;
# the first failure stops the loop and is thrown with what was already completed. With Items, the PFX
# backups hkpost_install planned (the new certificates, what they will retire) are exported afterwards in the
# same trip (the pfx_export prelude, as pfx_export_many).
param(
    [Parameter(Mandatory = $true)][object[]]$Certificates,
    [object[]]$Items = @(),
    [SecureString]$Password,
    [ValidateSet('AES256_SHA256', 'TripleDES_SHA1')][string]$Encryption = 'TripleDES_SHA1',
    [bool]$IncludeChain = $true
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: native_command

$completed = @()
foreach ($certificate in $Certificates) {
    $file = Join-Path -Path ([IO.Path]::GetTempPath()) -ChildPath ("hkpost-{0}.cer" -f [Guid]::NewGuid())
    try {
        [IO.File]::WriteAllBytes($file, [Convert]::FromBase64String($certificate.certificate_base64))
        $run = Invoke-NativeCommand -FilePath 'certreq.exe' -ArgumentList @('-accept', '-machine', '-q', $file)
        if ($run.ExitCode -ne 0) {
            $done = ($completed | ForEach-Object { $_.thumbprint }) -join ', '
            throw "certreq -accept -machine failed for $($certificate.thumbprint) (exit $($run.ExitCode)): $($run.Output); completed before it: $done"
        }
    }
    finally {
        Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
    }
    $installed = Get-Item -LiteralPath "Cert:\LocalMachine\My\$($certificate.thumbprint)"
    if ($certificate.friendly_name) {
        $installed.FriendlyName = $certificate.friendly_name
    }
    $completed += @{
        thumbprint      = $installed.Thumbprint
        has_private_key = $installed.HasPrivateKey
        friendly_name   = $installed.FriendlyName
        certreq_output  = $run.Output
    }
}

# A certificate certreq installed without its key cannot be exported: no export then, and the controller reports
# the missing key (certutil -repairstore) instead of an export error.
$exports = @()
if (@($completed | Where-Object { -not $_.has_private_key }).Count -eq 0) {
    # hkpost.ecert prelude: pfx_export
}

@{ completed = $completed; exports = $exports } | ConvertTo-Json -Compress -Depth 4
