# hkpost.ecert payload: csr_create
# certreq -new -machine: a new RSA key in the SChannel provider (or the existing key named by
# KeyContainer), kept in the machine's pending-request store; returns the CSR text and saves a
# copy under RequestDir so a rerun reuses the request instead of making a second key.
param(
    [Parameter(Mandatory = $true)][string]$Subject,
    [Parameter(Mandatory = $true)][int]$KeyLength,
    [string[]]$DnsNames = @(),
    [string]$FriendlyName = '',
    [string]$KeyContainer = '',
    [Parameter(Mandatory = $true)][string]$RequestDir
)

$ErrorActionPreference = 'Stop'

function Invoke-NativeCommand {
    # Windows PowerShell 5.1 under $ErrorActionPreference = 'Stop' turns the first line a native tool
    # writes to stderr through `2>&1` into a terminating NativeCommandError: the exit code and the rest
    # of the message are lost. Run the tool under 'Continue' in this function's scope only, keep every
    # line it wrote (stdout and stderr, as text) and hand back its exit code for the caller to judge.
    param([Parameter(Mandatory = $true)][string]$FilePath, [string[]]$ArgumentList = @())
    $ErrorActionPreference = 'Continue'
    $lines = @(& $FilePath @ArgumentList 2>&1 | ForEach-Object { [string]$_ })
    @{ ExitCode = $LASTEXITCODE; Output = ($lines -join "`n").Trim() }
}

function Format-InfValue([string]$Value) {
    # INF strings are double-quoted; a quote inside is doubled.
    '"' + $Value.Replace('"', '""') + '"'
}

$lines = [System.Collections.Generic.List[string]]::new()
$lines.Add('[Version]')
$lines.Add('Signature = "$Windows NT$"')
$lines.Add('[NewRequest]')
$lines.Add('Subject = ' + (Format-InfValue $Subject))
$lines.Add('KeyAlgorithm = RSA')
$lines.Add('KeyLength = ' + $KeyLength)
$lines.Add('KeySpec = 1')
$lines.Add('KeyUsage = 0xa0')
$lines.Add('Exportable = TRUE')
$lines.Add('MachineKeySet = TRUE')
$lines.Add('ProviderName = "Microsoft RSA SChannel Cryptographic Provider"')
$lines.Add('ProviderType = 12')
$lines.Add('RequestType = PKCS10')
$lines.Add('HashAlgorithm = sha256')
if ($FriendlyName) { $lines.Add('FriendlyName = ' + (Format-InfValue $FriendlyName)) }
if ($KeyContainer) {
    $lines.Add('UseExistingKeySet = TRUE')
    $lines.Add('KeyContainer = ' + (Format-InfValue $KeyContainer))
}
if ($DnsNames.Count -gt 0) {
    $lines.Add('[Extensions]')
    $lines.Add('2.5.29.17 = "{text}"')
    foreach ($name in $DnsNames) { $lines.Add('_continue_ = "dns=' + $name + '&"') }
}

$work = Join-Path ([IO.Path]::GetTempPath()) ('hkpost-csr-' + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $work | Out-Null
try {
    $infPath = Join-Path $work 'request.inf'
    $csrPath = Join-Path $work 'request.csr'
    Set-Content -LiteralPath $infPath -Value $lines -Encoding Unicode
    $run = Invoke-NativeCommand -FilePath 'certreq.exe' -ArgumentList @('-new', '-q', '-machine', $infPath, $csrPath)
    if ($run.ExitCode -ne 0) {
        throw "certreq -new failed (exit $($run.ExitCode)): $($run.Output)"
    }
    $csr = Get-Content -LiteralPath $csrPath -Raw

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

@{ csr = $csr; csr_file = $saved } | ConvertTo-Json -Compress
