# hkpost.ecert prelude file: native_command
# Invoke-NativeCommand, for payloads that run a Windows tool (certreq, certutil); composed into them by
# plugins/plugin_utils/_win_payload.py where the payload says "# hkpost.ecert prelude: native_command".
function Invoke-NativeCommand {
    # Windows PowerShell 5.1 under $ErrorActionPreference = 'Stop' turns the first line a native tool
    # writes to stderr through `2>&1` into a terminating NativeCommandError: the exit code and the rest
    # of the message are lost. Run the tool under 'Continue' in this function's scope only, keep every
    # line it wrote (stdout and stderr, as text) and hand back its exit code for the caller to judge.
    param([Parameter(Mandatory = $true)][string]$FilePath, [string[]]$ArgumentList = @())
    $ErrorActionPreference = 'Continue'
    $lines = @(& $FilePath @ArgumentList 2>&1 | ForEach-Object { [string]$_ })
    @{ ExitCode = $LASTEXITCODE; Output = ($lines -join "`n").Trim() }
}
