# hkpost.ecert payload: csr_create
# certreq -new -machine: a new RSA key in the SChannel provider (or the existing key named by
# KeyContainer), kept in the machine's pending-request store; returns the CSR text and saves a
# copy under RequestDir so a rerun reuses the request instead of making a second key. Also lists
# the pending requests after the change (thumbprint, DER): the controller picks the one whose key
# is the CSR's, so the pending request's thumbprint is known without another round trip.
param(
    [Parameter(Mandatory = $true)][string]$Subject,
    [Parameter(Mandatory = $true)][int]$KeyLength,
    [string[]]$DnsNames = @(),
    [string]$FriendlyName = '',
    [string]$KeyContainer = '',
    [Parameter(Mandatory = $true)][string]$RequestDir
)

$ErrorActionPreference = 'Stop'

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
    $certreqOutput = & certreq.exe -new -q -machine $infPath $csrPath 2>&1
    if ($LASTEXITCODE -ne 0) {
        throw "certreq -new failed (exit $LASTEXITCODE): $($certreqOutput -join ' ')"
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

$pending = @(Get-ChildItem -Path 'Cert:\LocalMachine\REQUEST' | ForEach-Object {
        @{ thumbprint = $_.Thumbprint; der = [Convert]::ToBase64String($_.RawData) }
    })

@{ csr = $csr; csr_file = $saved; pending = $pending } | ConvertTo-Json -Compress -Depth 4
