# hkpost.ecert payload: chain_read
# One round trip: the certificates in LocalMachine CA, Root and Disallowed, the CRLs in CA, and the
# certificates with a private key in My and WebHosting, all as base64 DER. Changes nothing; every
# decision about them is made on the controller.
[CmdletBinding(SupportsShouldProcess)]
param(
    [string[]]$CertificateStores = @('CA', 'Root', 'Disallowed'),
    [string[]]$KeyStores = @('My', 'WebHosting'),
    [string]$CrlStore = 'CA'
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

# hkpost.ecert prelude: chain_stores

$certificates = @{}
foreach ($name in $CertificateStores) {
    $certificates[$name] = @(Get-StoreCertificate -Name $name)
}
$keyed = @(foreach ($name in $KeyStores) {
        foreach ($der in @(Get-StoreCertificate -Name $name -WithKeyOnly)) {
            @{ store = $name; der = $der }
        }
    })

@{
    stores   = $certificates
    crls     = @(Read-CrlStore $CrlStore)
    keyed    = $keyed
    os_build = [Environment]::OSVersion.Version.Build
} | ConvertTo-Json -Compress -Depth 5
