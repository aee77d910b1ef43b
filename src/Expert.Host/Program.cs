using Expert.Host.Hosting;

// The STEVE-2 experts over gRPC (see protos/ and README): steve2.expert.v1.OccupancyExpert (creation)
// and steve2.expert.v1.DynamicMapExpert (per-episode maps), built in Hosting/ExpertHostApp. The client
// commands that share the binary (probe, bench, map-bench, help) are dispatched by Hosting/HostCommands.
if (await HostCommands.TryRunAsync(args) is int exitCode) return exitCode;

try
{
    await ExpertHostApp.Build(args).RunAsync();
    return 0;
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    // Bad settings (each message names the variable to change) or the loopback rule: said plainly, exit code 2.
    foreach (string failure in e.Failures) Console.Error.WriteLine($"error: {failure}");
    return 2;
}
