using System.Diagnostics;

namespace Expert.Host.Tests;

/// <summary>
/// Settings the host refuses end the process plainly: the reasons on stderr as "error: ..." lines naming what to
/// change, exit code 2; never an unhandled exception (which aborts the process with a core dump, exit code 134).
/// </summary>
public sealed class StartupRefusalTests
{
    [Theory]
    [InlineData("Security__AllowAnonymous=true", "--urls", "http://0.0.0.0:0")]
    [InlineData("Model:Device", "--Model:Device", "bogus")]
    public async Task Refused_settings_exit_2_with_the_reason(string named, params string[] arguments)
    {
        string host = Path.Combine(AppContext.BaseDirectory, "Expert.Host.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(host);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        start.Environment["Map__DataDirectory"] = Path.Combine(AppContext.BaseDirectory, "test-maps", Guid.NewGuid().ToString("N"));

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await stdout;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // only stops a host that starts instead
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("error: ", stderr);
        Assert.Contains(named, stderr);
    }
}
