# hkpost.ecert payload: chain_apply
# Applies a migration plan made on the controller, in the given order: add_cert / remove_cert in a
# LocalMachine store, add_crl / remove_crl with certutil. Stops at the first step that fails and
# reports which steps were applied and which were not.
param(
    [Parameter(Mandatory = $true)][object[]]$Steps
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: native_command

function Open-MachineStore([string]$Name) {
    $store = [System.Security.Cryptography.X509Certificates.X509Store]::new($Name, 'LocalMachine')
    $store.Open('ReadWrite')
    $store
}

function Invoke-Step($Step) {
    switch ($Step.op) {
        'add_cert' {
            $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([Convert]::FromBase64String($Step.der))
            if ($cert.Thumbprint -ne $Step.thumbprint) { throw "certificate bytes do not match thumbprint $($Step.thumbprint)" }
            $store = Open-MachineStore $Step.store
            try { $store.Add($cert) } finally { $store.Close() }
        }
        'remove_cert' {
            $store = Open-MachineStore $Step.store
            try {
                $found = @($store.Certificates | Where-Object { $_.Thumbprint -eq $Step.thumbprint })
                foreach ($cert in $found) { $store.Remove($cert) }
            }
            finally { $store.Close() }
        }
        'add_crl' {
            $file = Join-Path ([IO.Path]::GetTempPath()) ('hkpost-' + [guid]::NewGuid().ToString('N') + '.crl')
            try {
                [IO.File]::WriteAllBytes($file, [Convert]::FromBase64String($Step.der))
                $run = Invoke-NativeCommand -FilePath 'certutil.exe' -ArgumentList @('-addstore', $Step.store, $file)
                if ($run.ExitCode -ne 0) { throw "certutil -addstore failed (exit $($run.ExitCode)): $($run.Output)" }
            }
            finally { Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue }
        }
        'remove_crl' {
            $run = Invoke-NativeCommand -FilePath 'certutil.exe' -ArgumentList @('-delstore', $Step.store, $Step.thumbprint)
            if ($run.ExitCode -ne 0) { throw "certutil -delstore failed (exit $($run.ExitCode)): $($run.Output)" }
        }
        default { throw "unknown step '$($Step.op)'" }
    }
}

$applied = [System.Collections.Generic.List[int]]::new()
$failed = $null
for ($i = 0; $i -lt $Steps.Count; $i++) {
    try {
        Invoke-Step $Steps[$i]
        $applied.Add($i)
    }
    catch {
        $failed = @{ index = $i; error = $_.Exception.Message }
        break
    }
}

@{ applied = @($applied); failed = $failed } | ConvertTo-Json -Compress -Depth 4
