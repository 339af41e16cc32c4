# hkpost.ecert payload: retire_apply
# Removes exactly the certificates the controller decided to retire, each named by store and thumbprint,
# from LocalMachine. Follows ansible.windows win_certificate_store: X509Store opened ReadWrite, closed in
# finally. A certificate already gone counts as removed (a rerun after a failure continues). The key
# container stays on disk, as with certlm.msc's Delete; the PFX backup (when asked) was taken before.
param(
    [Parameter(Mandatory = $true)][object[]]$Removals
)

$ErrorActionPreference = 'Stop'

$removed = @()
foreach ($removal in $Removals) {
    $store = New-Object -TypeName System.Security.Cryptography.X509Certificates.X509Store -ArgumentList $removal.store, 'LocalMachine'
    $store.Open('ReadWrite')
    try {
        $found = $store.Certificates.Find('FindByThumbprint', $removal.thumbprint, $false)
        foreach ($cert in $found) { $store.Remove($cert) }
        $removed += @{ store = $removal.store; thumbprint = $removal.thumbprint; was_present = ($found.Count -gt 0) }
    }
    finally {
        $store.Close()
    }
}

@{ removed = $removed } | ConvertTo-Json -Compress -Depth 4
