using Expert.Host.Benchmarks;
using Expert.Host.Health;

namespace Expert.Host.Hosting;

/// <summary>
/// The client commands that share the host's binary, picked by the first argument: <c>probe</c> (the
/// container's health check, Health/), <c>bench</c> and <c>map-bench</c> (the benchmarks over loopback
/// gRPC that README.md and docs/benchmarks.md quote, Benchmarks/) and <c>help</c>. Any other first
/// argument, or none, starts the host.
/// </summary>
internal static class HostCommands
{
    private sealed record HostCommand(string Name, string[] Usages, string Summary, Func<string[], TextWriter?, Task<int>> RunAsync);

    private static readonly HostCommand[] Commands =
    [
        new(HealthProbe.Command, [HealthProbe.Usage], HealthProbe.Summary, HealthProbe.RunAsync),
        new(LoadBenchmark.Command, [LoadBenchmark.Usage], LoadBenchmark.Summary, LoadBenchmark.RunAsync),
        new(MapIngestBenchmark.Command, [MapIngestBenchmark.Usage, MapIngestBenchmark.InProcessUsage], MapIngestBenchmark.Summary, MapIngestBenchmark.RunAsync),
    ];

    private static readonly string[] HelpNames = ["help", "--help", "-h"];

    /// <summary>
    /// Runs the command that <paramref name="args"/>[0] names and returns its exit code; null when it
    /// names none, and the caller starts the host with the same arguments.
    /// </summary>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter? output = null)
    {
        if (args.Length == 0) return null;
        if (HelpNames.Contains(args[0]))
        {
            await WriteHelpAsync(output ?? Console.Out);
            return 0;
        }
        HostCommand? command = Array.Find(Commands, c => c.Name == args[0]);
        return command is null ? null : await command.RunAsync(args, output);
    }

    private static async Task WriteHelpAsync(TextWriter output)
    {
        await output.WriteLineAsync("Expert.Host: the STEVE-2 experts over gRPC (steve2.expert.v1.OccupancyExpert, DynamicMapExpert); see src/Expert.Host/README.md.");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Serve (HTTP/2 without TLS on " + HostingRegistration.DefaultUrls + " unless --urls or ASPNETCORE_URLS says otherwise; options as --Section:Key value):");
        await output.WriteLineAsync("  dotnet Expert.Host.dll [--urls URL] [--allow-anonymous] [--Section:Key value ...]");
        await output.WriteLineAsync("      beyond loopback the host needs API keys or JWT (Security:...), or --allow-anonymous (Security__AllowAnonymous=true)");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Client commands (the address defaults to " + HealthProbe.DefaultAddress + "):");
        foreach (HostCommand command in Commands)
        {
            foreach (string usage in command.Usages) await output.WriteLineAsync("  dotnet Expert.Host.dll " + usage);
            await output.WriteLineAsync("      " + command.Summary);
        }
        await output.WriteLineAsync("  dotnet Expert.Host.dll help");
        await output.WriteLineAsync("      this text");
    }
}
