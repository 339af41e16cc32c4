# hkpost.ecert payload: iis_binding_certificate
# Changes the certificate (and sslFlags) of one existing https binding by REPLACING the binding
# element: a new element with the same bindingInformation, the other attributes copied, and
# certificateHash, certificateStoreName and sslFlags set, swapped in and committed once. Changing
# CertificateHash in place is what win-acme abandoned (IISClient.UpdateBinding, "Replace instead of
# change binding because of #371": CreateSSLBinding failed with 0x80070520). An empty Thumbprint
# puts back a binding that had no certificate (the controller's rollback).
param(
    [Parameter(Mandatory = $true)][string]$Site,
    [Parameter(Mandatory = $true)][string]$BindingInformation,
    [string]$Thumbprint = '',
    [ValidateSet('My', 'WebHosting')][string]$Store = 'My',
    [Parameter(Mandatory = $true)][int]$SslFlags
)

$ErrorActionPreference = 'Stop'

if ($Thumbprint -and -not (Test-Path -LiteralPath "Cert:\LocalMachine\$Store\$Thumbprint")) {
    throw "certificate $Thumbprint is not in LocalMachine\$Store"
}
Add-Type -Path (Join-Path $env:windir 'System32\inetsrv\Microsoft.Web.Administration.dll')
$manager = New-Object -TypeName Microsoft.Web.Administration.ServerManager
$iisSite = $manager.Sites[$Site]
if ($null -eq $iisSite) { throw "IIS site '$Site' does not exist" }
$existing = $iisSite.Bindings | Where-Object { $_.Protocol -eq 'https' -and $_.BindingInformation -eq $BindingInformation }
if ($null -eq $existing) { throw "site '$Site' has no https binding $BindingInformation" }

$handled = @('protocol', 'bindingInformation', 'sslFlags', 'certificateHash', 'certificateStoreName')
$replacement = $iisSite.Bindings.CreateElement('binding')
$replacement.BindingInformation = $BindingInformation
foreach ($attribute in $existing.Attributes) {
    if ($handled -notcontains $attribute.Name -and $null -ne $attribute.Value) {
        $replacement.SetAttributeValue($attribute.Name, $attribute.Value)
    }
}
if ($Thumbprint) {
    $hash = [byte[]]::new($Thumbprint.Length / 2)
    for ($i = 0; $i -lt $hash.Length; $i++) { $hash[$i] = [Convert]::ToByte($Thumbprint.Substring(2 * $i, 2), 16) }
    $replacement.CertificateStoreName = $Store
    $replacement.CertificateHash = $hash
}
$replacement.Protocol = 'https'
$replacement.SetAttributeValue('sslFlags', $SslFlags)
$iisSite.Bindings.Remove($existing)
$iisSite.Bindings.Add($replacement) | Out-Null
$manager.CommitChanges()

@{ site = $Site; binding_information = $BindingInformation; thumbprint = $Thumbprint; store = $Store; ssl_flags = $SslFlags } |
    ConvertTo-Json -Compress -Depth 3
