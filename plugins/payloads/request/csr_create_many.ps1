# hkpost.ecert payload: csr_create_many
# Every missing request of a host in one execution (issue 21): for each INF in Requests, certreq -new -machine
# (a new RSA key in the SChannel provider, or the existing key the INF names), kept in LocalMachine\REQUEST,
# the CSR text returned and a copy saved under RequestDir so a rerun reuses the request. With Backup, the pending
# request each certreq run added (the REQUEST entries that were not there before it ran) is exported with its key,
# as is each entry of Items (pending requests the controller already knew, not yet backed up): the pfx_export
# prelude, as pfx_export_many. Lists the pending requests at the end (thumbprint, DER); the controller matches
# each CSR to its request by key and reads every PFX back before writing it.
param(
    # {inf}: the whole certreq policy file, made on the controller (module_utils/request/_certreq_inf.py).
    [object[]]$Requests = @(),
    [Parameter(Mandatory = $true)][string]$RequestDir,
    [bool]$Backup = $false,
    [object[]]$Items = @(),
    [SecureString]$Password,
    [ValidateSet('AES256_SHA256', 'TripleDES_SHA1')][string]$Encryption = 'TripleDES_SHA1',
    [bool]$IncludeChain = $true
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: native_command

$dir = [Environment]::ExpandEnvironmentVariables($RequestDir)
if (-not (Test-Path -LiteralPath $dir -PathType Container)) {
    New-Item -ItemType Directory -Path $dir -Force | Out-Null
}
$created = @()
foreach ($request in $Requests) {
    # LocalMachine\REQUEST exists only once a request has been made on this machine (as csr_pending_read).
    $before = @()
    if (Test-Path -LiteralPath 'Cert:\LocalMachine\REQUEST') {
        $before = @(Get-ChildItem -LiteralPath 'Cert:\LocalMachine\REQUEST' | ForEach-Object { $_.Thumbprint })
    }
    $work = Join-Path ([IO.Path]::GetTempPath()) ('hkpost-csr-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        $infPath = Join-Path $work 'request.inf'
        $csrPath = Join-Path $work 'request.csr'
        Set-Content -LiteralPath $infPath -Value $request.inf -Encoding Unicode -NoNewline
        $run = Invoke-NativeCommand -FilePath 'certreq.exe' -ArgumentList @('-new', '-q', '-machine', $infPath, $csrPath)
        if ($run.ExitCode -ne 0) {
            throw "certreq -new failed (exit $($run.ExitCode)): $($run.Output)"
        }
        # [IO.File]::ReadAllText, not Get-Content: its NoteProperties make 5.1's ConvertTo-Json write an object.
        $csr = [System.IO.File]::ReadAllText($csrPath)
        $saved = Join-Path $dir ((Get-Date -Format 'yyyyMMddHHmmss') + '-' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.csr')
        Set-Content -LiteralPath $saved -Value $csr -Encoding Ascii -NoNewline
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
    $made = @(Get-ChildItem -LiteralPath 'Cert:\LocalMachine\REQUEST' | Where-Object { $before -notcontains $_.Thumbprint } | ForEach-Object { $_.Thumbprint })
    if ($Backup) {
        foreach ($thumbprint in $made) {
            $Items += @{ store = 'REQUEST'; thumbprint = $thumbprint }
        }
    }
    $created += @{ csr = $csr; csr_file = $saved; made = $made }
}

$pending = @()
if (Test-Path -LiteralPath 'Cert:\LocalMachine\REQUEST') {
    $pending = @(Get-ChildItem -LiteralPath 'Cert:\LocalMachine\REQUEST' | ForEach-Object {
            @{ thumbprint = $_.Thumbprint; der = [Convert]::ToBase64String($_.RawData) }
        })
}

# hkpost.ecert prelude: pfx_export

@{ created = $created; pending = $pending; exports = $exports } | ConvertTo-Json -Compress -Depth 5
