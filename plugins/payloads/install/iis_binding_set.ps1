# hkpost.ecert payload: iis_binding_set
# Adds, updates (sslFlags) or removes one https binding of one IIS site. The certificate is a
# separate step (iis_binding_certificate) so a failure there can be rolled back by the controller.
param(
    [Parameter(Mandatory = $true)][string]$Site,
    [Parameter(Mandatory = $true)][ValidateSet('add', 'update', 'remove')][string]$Operation,
    [Parameter(Mandatory = $true)][string]$BindingInformation,
    [int]$SslFlags = 0
)

$ErrorActionPreference = 'Stop'

Add-Type -Path (Join-Path $env:windir 'System32\inetsrv\Microsoft.Web.Administration.dll')
$manager = New-Object -TypeName Microsoft.Web.Administration.ServerManager
$iisSite = $manager.Sites[$Site]
if ($null -eq $iisSite) { throw "IIS site '$Site' does not exist" }
$binding = $iisSite.Bindings | Where-Object { $_.Protocol -eq 'https' -and $_.BindingInformation -eq $BindingInformation }

switch ($Operation) {
    'add' {
        if ($null -eq $binding) {
            $binding = $iisSite.Bindings.CreateElement('binding')
            $binding['protocol'] = 'https'
            $binding['bindingInformation'] = $BindingInformation
            $binding['sslFlags'] = $SslFlags
            $iisSite.Bindings.Add($binding) | Out-Null
        }
        else {
            $binding.SetAttributeValue('sslFlags', $SslFlags)
        }
    }
    'update' {
        if ($null -eq $binding) { throw "site '$Site' has no https binding $BindingInformation" }
        $binding.SetAttributeValue('sslFlags', $SslFlags)
    }
    'remove' {
        if ($null -ne $binding) { $iisSite.Bindings.Remove($binding) }
    }
}
$manager.CommitChanges()

@{ site = $Site; operation = $Operation; binding_information = $BindingInformation; ssl_flags = $SslFlags } |
    ConvertTo-Json -Compress -Depth 3
