# hkpost.ecert prelude file: exchange_session
# Opens $session: implicit remoting to the Exchange management endpoint (http(s)://SERVER/PowerShell/,
# configuration Microsoft.Exchange), which serves 2010 to SE alike. Reads the payload's parameters
# [string]$ConnectionUri, [string]$Authentication and [PSCredential]$Credential. Straight-line code, it
# cannot wrap the payload's work: the payload imports the cmdlets it needs from $session in its own try
# block and closes $session in that block's finally (-WhatIf:$false when it runs in check mode).
$sessionArgs = @{
    ConfigurationName = 'Microsoft.Exchange'
    ConnectionUri     = $ConnectionUri
    Authentication    = $Authentication
}
if ($Credential) {
    # win_powershell builds this PSCredential from sensitive_parameters username/password. Without it the
    # connected identity must be delegable (a second hop); the controller refuses the task before sending
    # this when it is not (plugins/module_utils/install/_exchange_hop.py).
    $sessionArgs.Credential = $Credential
}
$session = New-PSSession @sessionArgs
