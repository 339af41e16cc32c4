# hkpost.ecert payload: iis_binding_certificate
# Attaches a certificate from LocalMachine\My or \WebHosting to one https binding; IIS writes the
# http.sys mapping (hostnameport for SNI bindings, ipport otherwise) when the change is committed.
param(
    [Parameter(Mandatory = $true)][string]$Site,
    [Parameter(Mandatory = $true)][string]$BindingInformation,
    [Parameter(Mandatory = $true)][string]$Thumbprint,
    [Parameter(Mandatory = $true)][ValidateSet('My', 'WebHosting')][string]$Store
)

$ErrorActionPreference = 'Stop'

if (-not (Test-Path -LiteralPath "Cert:\LocalMachine\$Store\$Thumbprint")) {
    throw "certificate $Thumbprint is not in LocalMachine\$Store"
}
Add-Type -Path (Join-Path $env:windir 'System32\inetsrv\Microsoft.Web.Administration.dll')
$manager = New-Object -TypeName Microsoft.Web.Administration.ServerManager
$iisSite = $manager.Sites[$Site]
if ($null -eq $iisSite) { throw "IIS site '$Site' does not exist" }
$binding = $iisSite.Bindings | Where-Object { $_.Protocol -eq 'https' -and $_.BindingInformation -eq $BindingInformation }
if ($null -eq $binding) { throw "site '$Site' has no https binding $BindingInformation" }

$hash = [byte[]]::new($Thumbprint.Length / 2)
for ($i = 0; $i -lt $hash.Length; $i++) { $hash[$i] = [Convert]::ToByte($Thumbprint.Substring(2 * $i, 2), 16) }
$binding.CertificateHash = $hash
$binding.CertificateStoreName = $Store
$manager.CommitChanges()

@{ site = $Site; binding_information = $BindingInformation; thumbprint = $Thumbprint; store = $Store } |
    ConvertTo-Json -Compress -Depth 3
