# hkpost.ecert prelude file: chain_steps
# A chain migration plan's steps (module_utils/chain/_plan.py), one implementation
# for chain_apply, iis_apply (step kind chain, before the completions and binding writes) and exchange_enable (before
# the import): add_cert / remove_cert in a LocalMachine store, opened ReadWrite and closed in finally (ansible.windows
# win_certificate_store), add_crl / remove_crl with certutil (Invoke-NativeCommand: declare native_command first).
function Open-MachineStore([string]$Name) {
    $store = [System.Security.Cryptography.X509Certificates.X509Store]::new($Name, 'LocalMachine')
    $store.Open('ReadWrite')
    $store
}

function Invoke-ChainStep($ChainStep) {
    switch ($ChainStep.op) {
        'add_cert' {
            $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([Convert]::FromBase64String($ChainStep.der))
            if ($cert.Thumbprint -ne $ChainStep.thumbprint) { throw "certificate bytes do not match thumbprint $($ChainStep.thumbprint)" }
            $store = Open-MachineStore $ChainStep.store
            try { $store.Add($cert) } finally { $store.Close() }
        }
        'remove_cert' {
            $store = Open-MachineStore $ChainStep.store
            try {
                $found = @($store.Certificates | Where-Object { $_.Thumbprint -eq $ChainStep.thumbprint })
                foreach ($cert in $found) { $store.Remove($cert) }
            }
            finally { $store.Close() }
        }
        'add_crl' {
            $file = Join-Path ([IO.Path]::GetTempPath()) ('hkpost-' + [guid]::NewGuid().ToString('N') + '.crl')
            try {
                [IO.File]::WriteAllBytes($file, [Convert]::FromBase64String($ChainStep.der))
                $run = Invoke-NativeCommand -FilePath 'certutil.exe' -ArgumentList @('-addstore', $ChainStep.store, $file)
                if ($run.ExitCode -ne 0) { throw "certutil -addstore failed (exit $($run.ExitCode)): $($run.Output)" }
            }
            finally { Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue }
        }
        'remove_crl' {
            $run = Invoke-NativeCommand -FilePath 'certutil.exe' -ArgumentList @('-delstore', $ChainStep.store, $ChainStep.thumbprint)
            if ($run.ExitCode -ne 0) { throw "certutil -delstore failed (exit $($run.ExitCode)): $($run.Output)" }
        }
        default { throw "unknown step '$($ChainStep.op)'" }
    }
}

# The plan's steps in order; the first that fails stops the rest: {applied = indexes done; failed = {index, error}}.
function Invoke-ChainSteps([object[]]$Steps) {
    $applied = [System.Collections.Generic.List[int]]::new()
    $failed = $null
    for ($i = 0; $i -lt $Steps.Count; $i++) {
        try {
            Invoke-ChainStep $Steps[$i]
            $applied.Add($i)
        }
        catch {
            $failed = @{ index = $i; error = $_.Exception.Message }
            break
        }
    }
    @{ applied = @($applied); failed = $failed }
}
