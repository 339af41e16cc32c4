# hkpost.ecert prelude file: certreq_accept
# "Complete Certificate Request": Complete-CertificateRequest runs certreq -accept -machine, which pairs the issued
# certificate with the pending request's key in LocalMachine\REQUEST and installs it in LocalMachine\My, the key
# staying in the machine key store; then sets the friendly name. The controller already matched the request. Needs
# the native_command prelude (Invoke-NativeCommand) composed before it. Composed into complete_request and iis_apply.
function Complete-CertificateRequest([string]$EncodedCertificate, [string]$Thumbprint, [string]$FriendlyName) {
    $file = Join-Path -Path ([IO.Path]::GetTempPath()) -ChildPath ("hkpost-{0}.cer" -f [Guid]::NewGuid())
    try {
        [IO.File]::WriteAllBytes($file, [Convert]::FromBase64String($EncodedCertificate))
        $run = Invoke-NativeCommand -FilePath 'certreq.exe' -ArgumentList @('-accept', '-machine', '-q', $file)
        if ($run.ExitCode -ne 0) {
            throw "certreq -accept -machine failed for $Thumbprint (exit $($run.ExitCode)): $($run.Output)"
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
        certreq_output  = $run.Output
    }
}
