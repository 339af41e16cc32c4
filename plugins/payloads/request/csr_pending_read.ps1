# hkpost.ecert payload: csr_pending_read
# Reads the machine's pending certificate requests (LocalMachine\REQUEST, "Certificate Enrollment
# Requests") and the CSR texts hkpost_csr saved beside them, and the OS build (which PFX encryption the
# pending-key backups can use). Changes nothing; runs in check mode.
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory = $true)][string]$RequestDir
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

# LocalMachine\REQUEST exists only once a request has been made on this machine; a missing store
# holds no pending request (the machine_stores prelude guards it with Test-Path, as for ecert_store_read).
# hkpost.ecert prelude: machine_stores
$pending = @(Get-MachineStoreCertificate 'REQUEST' | ForEach-Object {
        $container = $null
        if ($_.HasPrivateKey) {
            # SChannel (CAPI) keys expose their container; a CNG key made by hand does not, and is then not reused.
            try { $container = $_.PrivateKey.CspKeyContainerInfo.KeyContainerName } catch { $container = $null }
        }
        $entry = ConvertTo-StoreEntry $_
        $entry.key_container = $container
        $entry
    })

$savedCsrs = @()
$dir = [Environment]::ExpandEnvironmentVariables($RequestDir)
if (Test-Path -LiteralPath $dir -PathType Container) {
    $savedCsrs = @(Get-ChildItem -LiteralPath $dir -Filter '*.csr' -File | ForEach-Object {
            # Not Get-Content: its NoteProperties make 5.1's ConvertTo-Json write an object, not the text.
            [System.IO.File]::ReadAllText($_.FullName)
        })
}

@{ pending = $pending; saved_csrs = $savedCsrs; os_build = [Environment]::OSVersion.Version.Build } | ConvertTo-Json -Compress -Depth 4
