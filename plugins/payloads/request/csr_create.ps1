# hkpost.ecert payload: csr_create
# certreq -new -machine: a new RSA key in the SChannel provider (or the existing key named by
# KeyContainer), kept in the machine's pending-request store; returns the CSR text and saves a
# copy under RequestDir so a rerun reuses the request instead of making a second key. Also lists
# the pending requests after the change (thumbprint, DER): the controller picks the one whose key
# is the CSR's, so the pending request's thumbprint is known without another round trip.
param(
    # The whole certreq policy file, made on the controller (module_utils/request/_certreq_inf.py:
    # values INF-quoted, control characters refused before this runs).
    [Parameter(Mandatory = $true)][string]$Inf,
    [Parameter(Mandatory = $true)][string]$RequestDir
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: native_command

$work = Join-Path ([IO.Path]::GetTempPath()) ('hkpost-csr-' + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $work | Out-Null
try {
    $infPath = Join-Path $work 'request.inf'
    $csrPath = Join-Path $work 'request.csr'
    Set-Content -LiteralPath $infPath -Value $Inf -Encoding Unicode -NoNewline
    $run = Invoke-NativeCommand -FilePath 'certreq.exe' -ArgumentList @('-new', '-q', '-machine', $infPath, $csrPath)
    if ($run.ExitCode -ne 0) {
        throw "certreq -new failed (exit $($run.ExitCode)): $($run.Output)"
    }
    # [IO.File]::ReadAllText, not Get-Content: Get-Content decorates the string with PSPath, PSDrive,
    # PSProvider... NoteProperties, and Windows PowerShell 5.1's ConvertTo-Json then writes the CSR as
    # an object {"value": ..., "PSPath": ...} instead of a string (PowerShell issue #6458).
    $csr = [System.IO.File]::ReadAllText($csrPath)

    $dir = [Environment]::ExpandEnvironmentVariables($RequestDir)
    if (-not (Test-Path -LiteralPath $dir -PathType Container)) {
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
    }
    $saved = Join-Path $dir ((Get-Date -Format 'yyyyMMddHHmmss') + '-' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.csr')
    Set-Content -LiteralPath $saved -Value $csr -Encoding Ascii -NoNewline
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

$pending = @(Get-ChildItem -Path 'Cert:\LocalMachine\REQUEST' | ForEach-Object {
        @{ thumbprint = $_.Thumbprint; der = [Convert]::ToBase64String($_.RawData) }
    })

@{ csr = $csr; csr_file = $saved; pending = $pending } | ConvertTo-Json -Compress -Depth 4
