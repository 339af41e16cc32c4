# hkpost.ecert payload: complete_request
# "Complete Certificate Request": certreq -accept -machine pairs the issued certificate with the
# pending request's key in LocalMachine\REQUEST and installs it in LocalMachine\My, the key staying
# in the machine key store. The controller already matched the request; this only runs certreq.
param(
    [Parameter(Mandatory = $true)][string]$CertificateBase64,
    [Parameter(Mandatory = $true)][string]$Thumbprint,
    [string]$FriendlyName
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: native_command

$file = Join-Path -Path ([IO.Path]::GetTempPath()) -ChildPath ("hkpost-{0}.cer" -f [Guid]::NewGuid())
try {
    [IO.File]::WriteAllBytes($file, [Convert]::FromBase64String($CertificateBase64))
    $run = Invoke-NativeCommand -FilePath 'certreq.exe' -ArgumentList @('-accept', '-machine', '-q', $file)
    $output = $run.Output
    if ($run.ExitCode -ne 0) {
        throw "certreq -accept -machine failed (exit $($run.ExitCode)): $output"
    }
}
finally {
    Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
}

$installed = Get-Item -LiteralPath "Cert:\LocalMachine\My\$Thumbprint"
if ($FriendlyName) {
    $installed.FriendlyName = $FriendlyName
}
@{
    thumbprint      = $installed.Thumbprint
    has_private_key = $installed.HasPrivateKey
    friendly_name   = $installed.FriendlyName
    certreq_output  = $output.Trim()
} | ConvertTo-Json -Compress -Depth 3
