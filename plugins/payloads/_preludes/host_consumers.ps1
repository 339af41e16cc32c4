# hkpost.ecert prelude file: host_consumers
# Everything on the host besides IIS and Exchange that points at a certificate: the RDP listener, the WinRM
# HTTPS listeners, RD Gateway and SQL Server instances - as $rdp, $winrm, $gateway and $sql, each with its own
# error instead of failing the read. Composed by plugins/plugin_utils/_win_payload.py where a payload says
# "# hkpost.ecert prelude: host_consumers" (certificate_inventory_read lists them; retire_read keeps what they use).
# The RDP listener: Win32_TSGeneralSetting.SSLCertificateSHA1Hash through CIM (wmic is removed from
# Windows Server 2025). https://learn.microsoft.com/windows/win32/termserv/win32-tsgeneralsetting ;
# https://learn.microsoft.com/troubleshoot/windows-server/remote/remote-desktop-listener-certificate-configurations
$rdp = @{ listeners = @(); error = $null }
try {
    $rdp.listeners = @(Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName 'Win32_TSGeneralSetting' |
            ForEach-Object {
                @{ terminal_name = $_.TerminalName; thumbprint = $_.SSLCertificateSHA1Hash }
            })
}
catch {
    $rdp.error = $_.Exception.Message
}

# WinRM listeners from the WSMan: drive; a listener's CertificateThumbprint is set for HTTPS.
# https://learn.microsoft.com/powershell/module/microsoft.wsman.management/about/about_wsman_provider ;
# https://learn.microsoft.com/troubleshoot/windows-client/system-management-components/configure-winrm-for-https
$winrm = @{ listeners = @(); error = $null }
try {
    $winrm.listeners = @(Get-ChildItem -LiteralPath 'WSMan:\localhost\Listener' | ForEach-Object {
            $settings = @{}
            foreach ($item in @(Get-ChildItem -LiteralPath ('WSMan:\localhost\Listener\' + $_.PSChildName))) {
                $settings[$item.Name] = [string]$item.Value
            }
            @{
                name       = $_.PSChildName
                transport  = $settings['Transport']
                address    = $settings['Address']
                port       = $settings['Port']
                hostname   = $settings['Hostname']
                thumbprint = $settings['CertificateThumbprint']
            }
        })
}
catch {
    $winrm.error = $_.Exception.Message
}

# RD Gateway: only where the role is installed (its service, TSGateway); the class and its MOF come with
# the role. CertHash is the SHA-1 hash of the certificate the gateway's HTTPS binding uses.
# https://learn.microsoft.com/windows/win32/termserv/win32-tsgatewayserversettings
$gateway = @{ installed = (Test-Path -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Services\TSGateway'); thumbprint = $null; error = $null }
if ($gateway.installed) {
    try {
        $settings = @(Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName 'Win32_TSGatewayServerSettings')
        if ($settings.Count -gt 0 -and $settings[0].CertHash) {
            $gateway.thumbprint = ([BitConverter]::ToString([byte[]]$settings[0].CertHash)) -replace '-', ''
        }
    }
    catch {
        $gateway.error = $_.Exception.Message
    }
}

# SQL Server: each instance's id from "Instance Names\SQL", then its SuperSocketNetLib value Certificate
# (the thumbprint SQL Server Configuration Manager writes, often in lower case; empty = self-generated).
# https://learn.microsoft.com/sql/database-engine/configure-windows/configure-sql-server-encryption ;
# https://learn.microsoft.com/sql/database-engine/configure-windows/file-locations-for-default-and-named-instances-of-sql-server
$sql = @{ instances = @(); error = $null }
$sqlRoot = 'HKLM:\SOFTWARE\Microsoft\Microsoft SQL Server'
if (Test-Path -LiteralPath "$sqlRoot\Instance Names\SQL") {
    try {
        $names = Get-Item -LiteralPath "$sqlRoot\Instance Names\SQL"
        $sql.instances = @(foreach ($instance in $names.Property) {
                $id = [string]$names.GetValue($instance)
                $netLib = "$sqlRoot\$id\MSSQLServer\SuperSocketNetLib"
                $certificate = $null
                $force = $null
                if (Test-Path -LiteralPath $netLib) {
                    $values = Get-ItemProperty -LiteralPath $netLib
                    $certificate = [string]$values.Certificate
                    $force = $values.ForceEncryption
                }
                @{ name = $instance; id = $id; thumbprint = $certificate; force_encryption = $force }
            })
    }
    catch {
        $sql.error = $_.Exception.Message
    }
}
