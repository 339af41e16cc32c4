# hkpost.ecert prelude file: web_sites
# Read-WebSite: every IIS site from Get-Website (the payload imports WebAdministration first) with its name, id,
# state, physical path (raw, and expanded as IIS expands it) and bindings (protocol, binding information): what
# acme_iis_read answers, and what dcv_iis_read reads each site's validation directory and MIME type from, so the
# http-01 and the file-based DCV webroots are found one way.
# https://learn.microsoft.com/powershell/module/webadministration/get-website
function Read-WebSite {
    foreach ($site in Get-Website) {
        # A site's state is read live from IIS, and for some sites (a broken application pool, an FTP
        # site) reading it throws: that site is reported 'Unknown' instead of failing the whole read
        # (win-acme IISClient does the same: "Unable to determine state for Site").
        try { $state = [string]$site.state } catch { $state = 'Unknown' }
        $raw = [string]$site.physicalPath
        $bindings = foreach ($binding in $site.bindings.Collection) {
            @{ protocol = [string]$binding.protocol; binding_information = [string]$binding.bindingInformation }
        }
        @{
            name = [string]$site.name
            id = [int]$site.id
            state = $state
            physical_path = $raw
            physical_path_expanded = [Environment]::ExpandEnvironmentVariables($raw)
            bindings = @($bindings)
        }
    }
}
